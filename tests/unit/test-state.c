/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <json-c/json.h>
#include <regex.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "state.h"
#include "strv.h"
#include "tests.h"

TEST(id_validate) {
        static const struct {
                const char *id;
                int r;
        } table[] = {
                { "abc", 0 },         { "a.b-c_d+e", 0 }, { "0123456789abcdef", 0 }, { "", -EINVAL },
                { ".", -EINVAL },     { "..", -EINVAL },  { "a/b", -EINVAL },       { "../x", -EINVAL },
                { "a b", -EINVAL },   { "a\nb", -EINVAL }, { "ä", -EINVAL },         { "..a", 0 },
        };
        char long_id[CONTAINER_ID_MAX + 2];

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                SysrunError e = SYSRUN_ERROR_NULL;
                ASSERT_EQ(container_id_validate(table[i].id, &e), table[i].r);
                if (table[i].r < 0)
                        ASSERT_TRUE(strstr(e.msg, "invalid container ID format") == e.msg);
                sysrun_error_done(&e);
        }
        memset(long_id, 'a', sizeof(long_id));
        long_id[CONTAINER_ID_MAX] = 0;
        ASSERT_OK(container_id_validate(long_id, NULL));
        long_id[CONTAINER_ID_MAX] = 'a';
        long_id[CONTAINER_ID_MAX + 1] = 0;
        ASSERT_ERROR(container_id_validate(long_id, NULL), EINVAL);
        ASSERT_ERROR(container_id_validate(NULL, NULL), EINVAL);
}

TEST(status_strings) {
        for (ContainerStatus s = 0; s < _CONTAINER_STATUS_MAX; s++)
                ASSERT_EQ(container_status_from_string(container_status_to_string(s)), s);
        ASSERT_STREQ(container_status_to_string(CONTAINER_PAUSED), "paused");
        ASSERT_EQ(container_status_from_string("bogus"), _CONTAINER_STATUS_INVALID);
        ASSERT_NULL(container_status_to_string(_CONTAINER_STATUS_MAX));
}

TEST(rfc3339_format) {
        static const struct {
                time_t sec;
                long nsec;
                const char *want;
        } cases[] = {
                { 0, 0, "1970-01-01T00:00:00Z" },
                { 951782400, 0, "2000-02-29T00:00:00Z" },       /* leap day of a year divisible by 400 */
                { 4107542399, 500000000, "2100-02-28T23:59:59.5Z" }, /* 2100 is no leap year */
                { 4107542400, 0, "2100-03-01T00:00:00Z" },
                { 1796011740, 123456789, "2026-11-30T04:09:00.123456789Z" },
                { 1796011740, 120000000, "2026-11-30T04:09:00.12Z" },
                { 1796011740, 1, "2026-11-30T04:09:00.000000001Z" },
                { -1, 0, "1969-12-31T23:59:59Z" },
                { 253402300799, 0, "9999-12-31T23:59:59Z" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct timespec ts = { .tv_sec = cases[i].sec, .tv_nsec = cases[i].nsec };
                _cleanup_free_ char *t = rfc3339_format(&ts);
                ASSERT_STREQ(t, cases[i].want);
        }
        /* Every day of 1900–2200 agrees with gmtime_r(). */
        for (time_t day = -25567; day < 84006; day++) {
                struct timespec ts = { .tv_sec = day * 86400 + 45296 };
                _cleanup_free_ char *t = rfc3339_format(&ts);
                char want[64];
                struct tm tm;
                ASSERT_NOT_NULL(gmtime_r(&ts.tv_sec, &tm));
                strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
                ASSERT_STREQ(t, want);
        }
}

TEST(rfc3339) {
        _cleanup_free_ char *t = rfc3339_now();
        regex_t re;

        ASSERT_NOT_NULL(t);
        ASSERT_EQ(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$",
                          REG_EXTENDED | REG_NOSUB),
                  0);
        ASSERT_EQ(regexec(&re, t, 0, NULL, 0), 0);
        regfree(&re);
        /* Go's RFC3339Nano trims trailing zeros of the fraction. */
        const char *dot = strchr(t, '.');
        if (dot)
                ASSERT_TRUE(t[strlen(t) - 2] != '0');
}

static char *make_tmpdir(void) {
        char *d = strdup("/tmp/sysrun-test-state.XXXXXX");
        ASSERT_NOT_NULL(d);
        ASSERT_NOT_NULL(mkdtemp(d));
        return d;
}

TEST(dirs_and_round_trip) {
        _cleanup_free_ char *tmp = make_tmpdir(), *root = NULL, *json = NULL;
        _cleanup_container_state_ ContainerState *loaded = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        char *ann[] = { "a", "1", "org.example/key", "v \"q\"", NULL };
        ContainerState s = {
                .id = "c1",
                .oci_version = "1.2.0",
                .stored_status = CONTAINER_CREATED,
                .pid = 4242,
                .pid_start_time = 123456789012ULL,
                .creator_pid = 17,
                .creator_start_time = 99,
                .bundle = "/b",
                .rootfs = "/b/rootfs",
                .created = "2026-11-29T05:49:00.5Z",
                .owner = "root",
                .annotations = ann,
                .cgroup_manager = "systemd",
                .unit = "sysrun-c1.scope",
                .cgroup_path = "/system.slice/sysrun-c1.scope",
                .rdt_group = "c1",
                .rdt_group_created = true,
                .rdt_mon_group = "c1/mon_groups/c1",
                .machine_registered = true,
        };
        int rootfd, dirfd, dirfd2;
        char **ids = NULL;

        ASSERT_TRUE(asprintf(&root, "%s/a/b/root", tmp) > 0);
        rootfd = state_root_open(root, true, &e);
        ASSERT_OK(rootfd);

        dirfd = state_dir_create(rootfd, "c1", &e);
        ASSERT_OK(dirfd);
        ASSERT_ERROR(state_dir_create(rootfd, "c1", &e), EEXIST);
        ASSERT_STREQ(e.msg, "container with given ID already exists");
        sysrun_error_done(&e);

        ASSERT_ERROR(state_load(dirfd, &loaded, &e), ENOENT);
        ASSERT_STREQ(e.msg, "container does not exist");
        sysrun_error_done(&e);

        ASSERT_OK(state_save(dirfd, &s, &e));
        ASSERT_OK(state_load(dirfd, &loaded, &e));
        ASSERT_STREQ(loaded->id, "c1");
        ASSERT_EQ(loaded->stored_status, CONTAINER_CREATED);
        ASSERT_EQ(loaded->pid, 4242);
        ASSERT_EQ_U64(loaded->pid_start_time, 123456789012ULL);
        ASSERT_EQ(loaded->creator_pid, 17);
        ASSERT_EQ_U64(loaded->creator_start_time, 99);
        ASSERT_STREQ(loaded->bundle, "/b");
        ASSERT_STREQ(loaded->rootfs, "/b/rootfs");
        ASSERT_STREQ(loaded->created, "2026-11-29T05:49:00.5Z");
        ASSERT_STREQ(loaded->owner, "root");
        ASSERT_STREQ(strv_pairs_get(loaded->annotations, "org.example/key"), "v \"q\"");
        ASSERT_STREQ(strv_pairs_get(loaded->annotations, "a"), "1");
        ASSERT_STREQ(loaded->cgroup_manager, "systemd");
        ASSERT_STREQ(loaded->unit, "sysrun-c1.scope");
        ASSERT_STREQ(loaded->cgroup_path, "/system.slice/sysrun-c1.scope");
        ASSERT_STREQ(loaded->rdt_group, "c1");
        ASSERT_TRUE(loaded->rdt_group_created);
        ASSERT_STREQ(loaded->rdt_mon_group, "c1/mon_groups/c1");
        ASSERT_TRUE(loaded->machine_registered);
        ASSERT_FALSE(loaded->detached);
        ASSERT_FALSE(loaded->poststart_hooks);
        ASSERT_FALSE(loaded->poststop_hooks);

        /* New states keep the uid; the name is looked up only when shown. */
        {
                _cleanup_container_state_ ContainerState *l2 = NULL;
                _cleanup_free_ char *name = NULL, *name2 = NULL;
                ContainerState s2 = s;
                s2.owner = NULL;
                s2.owner_uid = 0;
                s2.poststop_hooks = true;
                ASSERT_OK(state_save(dirfd, &s2, &e));
                ASSERT_OK(state_load(dirfd, &l2, &e));
                ASSERT_NULL(l2->owner);
                ASSERT_EQ(l2->owner_uid, 0);
                ASSERT_FALSE(l2->poststart_hooks);
                ASSERT_TRUE(l2->poststop_hooks);
                name = state_owner_name(l2);
                ASSERT_STREQ(name, "root");
                l2->owner_uid = 4000000;
                name2 = state_owner_name(l2);
                ASSERT_STREQ(name2, "#4000000");
        }
        /* A state from before the hook flags: start and delete read the config, as they used to. */
        {
                _cleanup_container_state_ ContainerState *l3 = NULL;
                ASSERT_OK(write_file_atomic_at(dirfd, "state.json", "{\"id\":\"c1\",\"status\":\"created\"}", 30, 0600));
                ASSERT_OK(state_load(dirfd, &l3, &e));
                ASSERT_TRUE(l3->poststart_hooks);
                ASSERT_TRUE(l3->poststop_hooks);
        }
        ASSERT_OK(state_save(dirfd, &s, &e));

        /* The atomic writer leaves no temporary file behind. */
        ASSERT_EQ(faccessat(dirfd, ".#state.json.", F_OK, 0), -1);

        /* runc's state JSON: pid only while the init can run. */
        json = state_to_json(loaded, CONTAINER_STOPPED, false);
        ASSERT_NOT_NULL(json);
        {
                struct json_object *o = json_tokener_parse(json), *v;
                ASSERT_NOT_NULL(o);
                ASSERT_TRUE(json_object_object_get_ex(o, "pid", &v));
                ASSERT_EQ(json_object_get_int(v), 0);
                ASSERT_TRUE(json_object_object_get_ex(o, "status", &v));
                ASSERT_STREQ(json_object_get_string(v), "stopped");
                ASSERT_TRUE(json_object_object_get_ex(o, "ociVersion", &v));
                ASSERT_TRUE(json_object_object_get_ex(o, "bundle", &v));
                ASSERT_TRUE(json_object_object_get_ex(o, "rootfs", &v));
                ASSERT_TRUE(json_object_object_get_ex(o, "created", &v));
                ASSERT_TRUE(json_object_object_get_ex(o, "owner", &v));
                ASSERT_TRUE(json_object_object_get_ex(o, "annotations", &v));
                ASSERT_FALSE(json_object_object_get_ex(o, "pidStartTime", &v));
                json_object_put(o);
        }
        free(json);
        json = state_to_json(loaded, CONTAINER_RUNNING, false);
        ASSERT_TRUE(strstr(json, "\"pid\":4242") != NULL);

        /* Locking: a second opener with lock would block; a lockless open works. */
        dirfd2 = state_dir_open(rootfd, "c1", false, &e);
        ASSERT_OK(dirfd2);
        close(dirfd2);
        ASSERT_ERROR(state_dir_open(rootfd, "nope", false, &e), ENOENT);
        ASSERT_STREQ(e.msg, "container does not exist");
        sysrun_error_done(&e);

        ASSERT_FALSE(state_has_exec_fifo(dirfd));
        ASSERT_OK(mkfifoat(dirfd, "exec.fifo", 0600));
        ASSERT_TRUE(state_has_exec_fifo(dirfd));

        ASSERT_OK(state_dir_create(rootfd, "b2", &e) >= 0 ? 0 : -1);
        ASSERT_OK(state_list_ids(rootfd, &ids));
        ASSERT_EQ(strv_length(ids), 2);
        ASSERT_STREQ(ids[0], "b2");
        ASSERT_STREQ(ids[1], "c1");
        strv_free(ids);

        close(dirfd);
        ASSERT_OK(state_dir_remove(rootfd, "c1"));
        ASSERT_OK(state_dir_remove(rootfd, "b2"));
        ASSERT_EQ(faccessat(rootfd, "c1", F_OK, 0), -1);
        close(rootfd);
        ASSERT_OK(rm_rf_at(AT_FDCWD, tmp));
}

TEST(corrupt_state) {
        _cleanup_free_ char *tmp = make_tmpdir();
        _cleanup_container_state_ ContainerState *s = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        int dirfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        ASSERT_OK(dirfd);
        ASSERT_OK(write_file_atomic_at(dirfd, "state.json", "{not json", 9, 0600));
        ASSERT_ERROR(state_load(dirfd, &s, &e), EBADMSG);
        ASSERT_STREQ(e.msg, "state.json is corrupt");
        sysrun_error_done(&e);
        ASSERT_OK(write_file_atomic_at(dirfd, "state.json", "{\"id\":\"x\",\"status\":\"weird\"}", 28, 0600));
        ASSERT_ERROR(state_load(dirfd, &s, &e), EBADMSG);
        sysrun_error_done(&e);
        close(dirfd);
        ASSERT_OK(rm_rf_at(AT_FDCWD, tmp));
}

TEST(parse_text) {
        _cleanup_container_state_ ContainerState *s = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;

        /* An older state: owner name, no ownerUid or hook flags (then hooks are assumed). */
        ASSERT_OK(state_parse("{\"id\":\"old\",\"status\":\"created\",\"pid\":99,\"owner\":\"root\","
                              "\"annotations\":{\"a\":\"b\"}}",
                              &s, &e));
        ASSERT_NULL(e.msg);
        ASSERT_STREQ(s->id, "old");
        ASSERT_EQ(s->stored_status, CONTAINER_CREATED);
        ASSERT_EQ(s->pid, 99);
        ASSERT_STREQ(s->owner, "root");
        ASSERT_TRUE(s->poststart_hooks && s->poststop_hooks);
        ASSERT_STREQ(strv_pairs_get(s->annotations, "a"), "b");

        /* A null annotation (found by fuzz-state: it crashed in strdup(NULL)) is skipped. */
        s = container_state_free(s);
        ASSERT_OK(state_parse("{\"id\":\"x\",\"status\":\"created\",\"annotations\":{\"a\":null,\"b\":\"c\"}}",
                              &s, &e));
        ASSERT_EQ(strv_length(s->annotations), 2);
        ASSERT_STREQ(strv_pairs_get(s->annotations, "b"), "c");
        ASSERT_NULL(strv_pairs_get(s->annotations, "a"));

        s = container_state_free(s);
        ASSERT_ERROR(state_parse("[1]", &s, &e), EBADMSG);
        ASSERT_STREQ(e.msg, "state.json is corrupt");
        ASSERT_NULL(s);
        sysrun_error_done(&e);
        ASSERT_ERROR(state_parse("{\"status\":\"created\"}", &s, &e), EBADMSG); /* no id */
        ASSERT_NULL(s);
        sysrun_error_done(&e);
}

DEFINE_TEST_MAIN()
