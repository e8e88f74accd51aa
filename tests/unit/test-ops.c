/* SPDX-License-Identifier: Apache-2.0 */
/* exec's and the terminal's pure helpers, and hooks_run() with real (tiny) hook processes. */
#include <fcntl.h>
#include <signal.h>
#include <time.h>

#include "exec.h"
#include "fd-util.h"
#include "hooks.h"
#include "listen-fds.h"
#include "strv.h"
#include "terminal.h"
#include "tests.h"

TEST(parse_user_spec) {
        uint32_t uid = 7, gid = 7;
        bool gid_set = true;

        ASSERT_OK(parse_user_spec("1000", &uid, &gid_set, &gid));
        ASSERT_EQ(uid, 1000);
        ASSERT_FALSE(gid_set);
        ASSERT_OK(parse_user_spec("0:5", &uid, &gid_set, &gid));
        ASSERT_EQ(uid, 0);
        ASSERT_TRUE(gid_set);
        ASSERT_EQ(gid, 5);
        ASSERT_ERROR(parse_user_spec("", &uid, &gid_set, &gid), EINVAL);
        ASSERT_ERROR(parse_user_spec("root", &uid, &gid_set, &gid), EINVAL);
        ASSERT_ERROR(parse_user_spec("-1", &uid, &gid_set, &gid), EINVAL);
        ASSERT_ERROR(parse_user_spec("4294967295", &uid, &gid_set, &gid), EINVAL); /* (uid_t) -1 */
        ASSERT_ERROR(parse_user_spec("1:", &uid, &gid_set, &gid), ERANGE);
        ASSERT_ERROR(parse_user_spec("1:x", &uid, &gid_set, &gid), ERANGE);
        ASSERT_ERROR(parse_user_spec("1:2:3", &uid, &gid_set, &gid), ERANGE);
}

TEST(listen_fds_env) {
        char *env[] = { (char *) "PATH=/bin", (char *) "LISTEN_FDS=9", (char *) "LISTEN_PID=1",
                        (char *) "A=b", NULL };
        _cleanup_strv_free_ char **l = NULL;
        char pid[32];

        unsetenv("LISTEN_FDNAMES");
        ASSERT_OK(listen_fds_env(env, 2, &l));
        snprintf(pid, sizeof(pid), "%d", (int) getpid());
        ASSERT_EQ(strv_length(l), 4);
        ASSERT_STREQ(strv_env_get(l, "PATH"), "/bin");
        ASSERT_STREQ(strv_env_get(l, "A"), "b");
        ASSERT_STREQ(strv_env_get(l, "LISTEN_FDS"), "2");
        ASSERT_STREQ(strv_env_get(l, "LISTEN_PID"), pid);

        strv_free(TAKE_PTR(l));
        setenv("LISTEN_FDNAMES", "web:admin", 1);
        ASSERT_OK(listen_fds_env(NULL, 1, &l));
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_STREQ(strv_env_get(l, "LISTEN_FDNAMES"), "web:admin");
        unsetenv("LISTEN_FDNAMES");
}

TEST(listen_fds_inherited) {
        char pid[32];

        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        ASSERT_EQ(listen_fds_inherited(), 0);
        /* For another process: not ours. */
        setenv("LISTEN_PID", "1", 1);
        setenv("LISTEN_FDS", "1", 1);
        ASSERT_EQ(listen_fds_inherited(), 0);
        snprintf(pid, sizeof(pid), "%d", (int) getpid());
        setenv("LISTEN_PID", pid, 1);
        setenv("LISTEN_FDS", "x", 1);
        ASSERT_EQ(listen_fds_inherited(), 0);
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
}

TEST(terminal_check) {
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(terminal_check(false, false, NULL, NULL));
        ASSERT_OK(terminal_check(true, false, NULL, NULL));
        ASSERT_OK(terminal_check(false, true, NULL, NULL));
        ASSERT_OK(terminal_check(true, true, "/s", NULL));
        ASSERT_ERROR(terminal_check(true, true, NULL, &e), EINVAL);
        ASSERT_STREQ(e.msg, "cannot allocate tty if runc will detach without setting console socket");
        sysrun_error_done(&e);
        ASSERT_ERROR(terminal_check(true, false, "/s", &e), EINVAL);
        ASSERT_STREQ(e.msg, "cannot use console socket if runc will not detach or allocate tty");
        sysrun_error_done(&e);
        ASSERT_ERROR(terminal_check(false, true, "/s", NULL), EINVAL);
}

static OciHook make_hook(const char *script, int64_t timeout) {
        OciHook h = { .path = (char *) "/bin/sh" };

        h.args = strv_copy((char *[]){ (char *) "sh", (char *) "-c", (char *) script, NULL });
        ASSERT_NOT_NULL(h.args);
        if (timeout > 0)
                h.timeout = (OptI64){ .set = true, .value = timeout };
        return h;
}

TEST(hooks_run) {
        char dir[] = "/tmp/test-hooks-XXXXXX", script[512], path[600];
        SysrunError e = SYSRUN_ERROR_NULL;
        OciHook hooks[3];
        OciConfig c = {};
        _cleanup_free_ char *text = NULL;

        ASSERT_NOT_NULL(mkdtemp(dir));
        snprintf(script, sizeof(script), "cat > %s/stdin; echo \"$0 $1\" > %s/args", dir, dir);
        hooks[0] = make_hook(script, 0);
        ASSERT_OK(strv_extend(&hooks[0].args, "a0"));
        ASSERT_OK(strv_extend(&hooks[0].args, "a1"));
        hooks[1] = make_hook("echo out; echo err >&2; exit 3", 0);
        hooks[2] = make_hook("exec sleep 30", 1);
        c.hooks[HOOK_PRESTART] = hooks;
        c.n_hooks[HOOK_PRESTART] = 1;

        ASSERT_OK(hooks_run(&c, HOOK_PRESTART, "{\"id\":\"x\"}", &e));
        snprintf(path, sizeof(path), "%s/stdin", dir);
        ASSERT_OK(read_full_file_at(AT_FDCWD, path, 4096, &text, NULL));
        ASSERT_STREQ(text, "{\"id\":\"x\"}");
        free(TAKE_PTR(text));
        snprintf(path, sizeof(path), "%s/args", dir);
        ASSERT_OK(read_full_file_at(AT_FDCWD, path, 4096, &text, NULL));
        ASSERT_STREQ(text, "a0 a1\n");

        /* The first failure stops the run and says why, with the hook's output. */
        c.n_hooks[HOOK_PRESTART] = 3;
        ASSERT_ERROR(hooks_run(&c, HOOK_PRESTART, "{}", &e), EIO);
        ASSERT_STREQ(e.msg,
                     "error running hook #1: error running hook: exit status 3, stdout: out, stderr: err");
        sysrun_error_done(&e);

        /* Killed by a signal, and a path that cannot be executed: Go's words, as runc. */
        {
                OciHook more[2] = { make_hook("kill -TERM $$", 0), { .path = (char *) "/nonexistent/hook" } };
                OciConfig c2 = { .hooks[HOOK_CREATE_RUNTIME] = more, .n_hooks[HOOK_CREATE_RUNTIME] = 1 };

                ASSERT_ERROR(hooks_run(&c2, HOOK_CREATE_RUNTIME, "{}", &e), EIO);
                ASSERT_STREQ(e.msg, "error running hook #0: error running hook: signal: terminated, stdout: , stderr: ");
                sysrun_error_done(&e);
                c2.hooks[HOOK_CREATE_RUNTIME] = more + 1;
                ASSERT_ERROR(hooks_run(&c2, HOOK_CREATE_RUNTIME, "{}", &e), ENOENT);
                ASSERT_STREQ(e.msg, "error running hook #0: fork/exec /nonexistent/hook: no such file or directory");
                sysrun_error_done(&e);
                strv_free(more[0].args);
        }

        /* Killed at the timeout. */
        c.hooks[HOOK_CREATE_RUNTIME] = hooks + 2;
        c.n_hooks[HOOK_CREATE_RUNTIME] = 1;
        time_t start = time(NULL);
        ASSERT_ERROR(hooks_run(&c, HOOK_CREATE_RUNTIME, "{}", &e), ETIMEDOUT);
        ASSERT_TRUE(time(NULL) - start < 5);
        ASSERT_STREQ(e.msg,
                     "error running hook #0: hook ran past specified timeout of 1.0s");
        sysrun_error_done(&e);

        /* poststop goes on after a failure and only warns. */
        c.hooks[HOOK_POSTSTOP] = hooks + 1;
        c.n_hooks[HOOK_POSTSTOP] = 1;
        ASSERT_OK(hooks_run(&c, HOOK_POSTSTOP, "{}", &e));
        ASSERT_NULL(e.msg);

        for (size_t i = 0; i < 3; i++)
                strv_free(hooks[i].args);
        snprintf(script, sizeof(script), "rm -rf %s", dir);
        ASSERT_EQ(system(script), 0);
}

TEST(hooks_run_sigpipe) {
        /* 1 MiB of state to a hook that reads none of it: EPIPE, not death by SIGPIPE. */
        size_t size = 1 << 20;
        _cleanup_free_ char *state = malloc(size + 1);
        OciHook h = { .path = (char *) "/bin/true" };
        OciConfig c = { .hooks[HOOK_POSTSTART] = &h, .n_hooks[HOOK_POSTSTART] = 1 };
        sigset_t pending;

        ASSERT_NOT_NULL(state);
        memset(state, 'x', size);
        state[size] = 0;
        ASSERT_OK(hooks_run(&c, HOOK_POSTSTART, state, NULL));
        /* Nothing left pending for whoever reads signals later (run's signalfd). */
        ASSERT_OK(sigpending(&pending));
        ASSERT_FALSE(sigismember(&pending, SIGPIPE));
}

DEFINE_TEST_MAIN();
