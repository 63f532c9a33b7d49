<?php
// The Moodle side of the Moodle suite: run with Moodle's CLI PHP against one installed site,
// the way an administrator scripts a site. Every command prints one JSON document.
//
//   php site.php MOODLE_DIR setup PROXYPORT          site settings, a course with completion, a student
//   php site.php MOODLE_DIR add ZIP NAME SETTINGS    a SCORM activity from ZIP, as the upload form adds it
//   php site.php MOODLE_DIR update CMID ZIP          replace the activity's package ("Package file")
//   php site.php MOODLE_DIR record CMID              what Moodle stored for the student
//
// SETTINGS is a JSON object of scorm activity fields over the site defaults.

define('CLI_SCRIPT', true);

[$script, $moodledir, $command] = array_slice($argv, 0, 3) + [null, null, null];
$args = array_slice($argv, 3);
require($moodledir . '/config.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/course/modlib.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->dirroot . '/lib/filterlib.php');
require_once($CFG->dirroot . '/lib/gradelib.php');
require_once($CFG->dirroot . '/lib/completionlib.php');
require_once($CFG->dirroot . '/mod/scorm/lib.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');

const COURSE = 'coursepack-suite';
const STUDENT = 'learner';

\core\session\manager::set_user(get_admin());

// Anything Moodle prints while working (notices, parser warnings) is part of the answer.
ob_start();
$result = match ($command) {
    'setup' => setup_site((int) $args[0]),
    'add' => add_activity($args[0], $args[1], json_decode($args[2], true, 8, JSON_THROW_ON_ERROR)),
    'update' => update_package((int) $args[0], $args[1]),
    'record' => read_record((int) $args[0]),
    default => throw new coding_exception("unknown command: $command"),
};
$result['printed'] = trim(ob_get_clean());
echo json_encode($result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";

/** Site settings for the suite; anything the server tries to fetch from outside goes to the proxy on `$proxyport`. */
function setup_site(int $proxyport): array {
    global $DB, $CFG;
    set_config('proxyhost', '127.0.0.1');
    set_config('proxyport', $proxyport);
    set_config('proxytype', 'HTTP');
    set_config('proxybypass', 'localhost, 127.0.0.1');
    set_config('enablecompletion', 1);
    $DB->set_field('tool_usertours_tours', 'enabled', 0);
    // The MathJax filter loads its script from a CDN; these tests run offline.
    filter_set_global_state('mathjaxloader', TEXTFILTER_DISABLED);
    $course = $DB->get_record('course', ['shortname' => COURSE]);
    if (!$course) {
        $course = create_course((object) [
            'fullname' => 'coursepack suite', 'shortname' => COURSE, 'category' => $DB->get_field_sql('SELECT MIN(id) FROM {course_categories}'),
            'enablecompletion' => 1, 'format' => 'topics', 'numsections' => 1,
        ]);
    }
    $user = $DB->get_record('user', ['username' => STUDENT]);
    if (!$user) {
        $userid = user_create_user((object) [
            'username' => STUDENT, 'password' => 'Learner-1234', 'firstname' => 'Amina', 'lastname' => 'Learner',
            'email' => 'learner@example.invalid', 'auth' => 'manual', 'confirmed' => 1, 'mnethostid' => $CFG->mnet_localhost_id,
        ], true, false);
        $user = $DB->get_record('user', ['id' => $userid]);
    }
    $manual = enrol_get_plugin('manual');
    $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual']);
    if (!$instance) {
        $manual->add_instance($course);
        $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
    }
    $manual->enrol_user($instance, $user->id, $DB->get_field('role', 'id', ['shortname' => 'student']));
    purge_all_caches();
    return ['course' => (int) $course->id, 'student' => (int) $user->id, 'release' => $CFG->release];
}

/** Puts a file into a new draft area of the admin, as the file picker does. */
function draft_with(string $path): array {
    global $USER;
    $draftid = file_get_unused_draft_itemid();
    $file = get_file_storage()->create_file_from_pathname([
        'component' => 'user', 'filearea' => 'draft', 'contextid' => context_user::instance($USER->id)->id,
        'itemid' => $draftid, 'filepath' => '/', 'filename' => basename($path),
    ], $path);
    return [$draftid, scorm_validate_package($file)];
}

/** The module form's data for a SCORM activity: the site defaults, then `settings`. */
function activity_data(array $settings): stdClass {
    $defaults = get_config('scorm');
    $data = [
        'modulename' => 'scorm', 'visible' => 1, 'section' => 1, 'scormtype' => SCORM_TYPE_LOCAL,
        'updatefreq' => SCORM_UPDATE_NEVER,
        'popup' => 0, 'width' => $defaults->framewidth, 'height' => $defaults->frameheight,
        'skipview' => 0, 'hidebrowse' => 0, 'displaycoursestructure' => 0, 'hidetoc' => SCORM_TOC_SIDE,
        'nav' => SCORM_NAV_UNDER_CONTENT, 'navpositionleft' => -100, 'navpositiontop' => -100,
        'displayattemptstatus' => 1, 'grademethod' => GRADEHIGHEST, 'maxgrade' => 100, 'maxattempt' => 0,
        'whatgrade' => HIGHESTATTEMPT, 'forcenewattempt' => 0, 'lastattemptlock' => 0, 'forcecompleted' => 0,
        'masteryoverride' => 0, 'autocommit' => 0, 'auto' => 0, 'timeopen' => 0, 'timeclose' => 0,
        'completion' => COMPLETION_TRACKING_AUTOMATIC, 'completionstatusrequired' => 6,
        'completionscorerequired' => null, 'completionstatusallscos' => 0, 'completionview' => 0,
        'completionexpected' => 0,
    ];
    return (object) array_merge($data, $settings);
}

function add_activity(string $zip, string $name, array $settings): array {
    global $DB;
    $course = $DB->get_record('course', ['shortname' => COURSE], '*', MUST_EXIST);
    [$draftid, $errors] = draft_with($zip);
    if ($errors) {
        return ['errors' => array_keys($errors)];
    }
    $data = activity_data($settings + ['name' => $name]);
    $data->course = $course->id;
    $data->introeditor = ['text' => "<p>$name</p>", 'format' => FORMAT_HTML, 'itemid' => 0];
    $data->packagefile = $draftid;
    $info = create_module($data);
    return ['errors' => [], 'cmid' => (int) $info->coursemodule] + describe_activity((int) $info->coursemodule);
}

function update_package(int $cmid, string $zip): array {
    global $DB;
    [$cm, $course, $scorm] = activity($cmid);
    [$draftid, $errors] = draft_with($zip);
    if ($errors) {
        return ['errors' => array_keys($errors)];
    }
    $settings = (array) $scorm;
    unset($settings['id'], $settings['reference'], $settings['sha1hash'], $settings['revision'], $settings['launch'], $settings['version']);
    $data = activity_data($settings);
    $data->coursemodule = $cm->id;
    $data->instance = $scorm->id;
    $data->completion = $cm->completion;
    $data->visible = $cm->visible;
    $data->introeditor = ['text' => $scorm->intro, 'format' => $scorm->introformat, 'itemid' => 0];
    $data->packagefile = $draftid;
    update_moduleinfo($cm, $data, $course);
    return ['errors' => []] + describe_activity($cmid);
}

function activity(int $cmid): array {
    global $DB;
    $cm = get_coursemodule_from_id('scorm', $cmid, 0, false, MUST_EXIST);
    return [$cm, $DB->get_record('course', ['id' => $cm->course], '*', MUST_EXIST), $DB->get_record('scorm', ['id' => $cm->instance], '*', MUST_EXIST)];
}

/** What Moodle's manifest parser made of the package. */
function describe_activity(int $cmid): array {
    global $DB;
    [$cm, , $scorm] = activity($cmid);
    $items = [];
    foreach ($DB->get_records('scorm_scoes', ['scorm' => $scorm->id], 'sortorder, id') as $sco) {
        $items[] = [
            'id' => (int) $sco->id, 'identifier' => $sco->identifier, 'parent' => $sco->parent, 'title' => $sco->title,
            'launch' => $sco->launch, 'scormtype' => $sco->scormtype, 'organization' => $sco->organization,
        ];
    }
    return ['cmid' => $cmid, 'scormid' => (int) $scorm->id, 'version' => $scorm->version, 'launch' => (int) $scorm->launch, 'items' => $items];
}

function read_record(int $cmid): array {
    global $DB;
    [$cm, $course, $scorm] = activity($cmid);
    $user = $DB->get_record('user', ['username' => STUDENT], '*', MUST_EXIST);
    $attempts = [];
    foreach ($DB->get_records('scorm_attempt', ['scormid' => $scorm->id, 'userid' => $user->id], 'attempt') as $attempt) {
        $rows = $DB->get_records_sql(
            'SELECT v.id, v.scoid, e.element, v.value FROM {scorm_scoes_value} v JOIN {scorm_element} e ON e.id = v.elementid
              WHERE v.attemptid = :attemptid ORDER BY v.id', ['attemptid' => $attempt->id]);
        $scos = [];
        foreach ($rows as $row) {
            $identifier = $DB->get_field('scorm_scoes', 'identifier', ['id' => $row->scoid]);
            $scos[$identifier][$row->element] = $row->value;
        }
        $attempts[(int) $attempt->attempt] = $scos;
    }
    $grades = grade_get_grades($course->id, 'mod', 'scorm', $scorm->id, $user->id);
    $grade = $grades->items[0]->grades[$user->id]->grade ?? null;
    $completion = (new completion_info($course))->get_data($cm, false, $user->id);
    return [
        'attempts' => (object) $attempts,
        'grade' => $grade === null ? null : (float) $grade,
        'moodle_grade' => scorm_grade_user($scorm, $user->id),
        'completion' => (int) $completion->completionstate,
    ] + describe_activity($cmid);
}
