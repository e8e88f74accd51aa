/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <sys/wait.h>

#include "proc.h"
#include "tests.h"

TEST(stat_parse) {
        char state = 0;
        unsigned flags = 0;
        uint64_t start = 0;

        ASSERT_OK(proc_stat_parse("6365 (cat) R 6360 6360 32465 0 -1 4194304 124 0 0 0 0 0 0 0 20 0 1 0 138757 "
                                  "3133440 366",
                                  &state, &flags, &start));
        ASSERT_EQ(state, 'R');
        ASSERT_EQ(flags, 4194304);
        ASSERT_EQ_U64(start, 138757);
        /* A comm with spaces and parentheses; PF_EXITING in the flags. */
        ASSERT_OK(proc_stat_parse("7 (a) b (c)) S 1 7 7 0 -1 4194308 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0", &state,
                                  &flags, &start));
        ASSERT_EQ(state, 'S');
        ASSERT_EQ(flags, 4194308);
        ASSERT_EQ_U64(start, 99);
        ASSERT_ERROR(proc_stat_parse("7 (x", &state, &flags, &start), EIO);
        ASSERT_ERROR(proc_stat_parse("7 (x) R 1 2", &state, &flags, &start), EIO);
}

TEST(status_sigkill_pending) {
        ASSERT_FALSE(proc_status_sigkill_pending("Name:\tsleep\nSigPnd:\t0000000000000000\n"
                                                 "ShdPnd:\t0000000000004000\nSigBlk:\t0000000000000100\n"));
        ASSERT_TRUE(proc_status_sigkill_pending("Name:\tsleep\nSigPnd:\t0000000000000100\n"
                                                "ShdPnd:\t0000000000000000\n"));
        ASSERT_TRUE(proc_status_sigkill_pending("Name:\tsleep\nSigPnd:\t0000000000000000\n"
                                                "ShdPnd:\t0000000000000102\n"));
        ASSERT_FALSE(proc_status_sigkill_pending("Name:\tsleep\n"));
}

TEST(is_alive_false_for_a_zombie) {
        uint64_t start;
        pid_t pid = fork();
        int status;

        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                pause();
                _exit(0);
        }
        ASSERT_OK(proc_stat(pid, NULL, &start));
        ASSERT_EQ(proc_is_alive(pid, start), 1);
        ASSERT_EQ(proc_is_alive(pid, start + 1), 0); /* another process with the same pid */
        ASSERT_OK(kill(pid, SIGKILL));
        /* From here on it counts as dead: SIGKILL pending, exiting, or a zombie. */
        ASSERT_EQ(proc_is_alive(pid, start), 0);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_EQ(proc_is_alive(pid, start), 0);
}

DEFINE_TEST_MAIN();
