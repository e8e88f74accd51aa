/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>

#include "macro.h"
#include "signals.h"
#include "tests.h"

TEST(from_string_numbers) {
        static const struct {
                const char *s;
                int sig;
        } table[] = {
                { "1",  1       },
                { "9",  SIGKILL },
                { "09", SIGKILL },
                { "15", SIGTERM },
                { "32", 32      }, /* reserved by glibc, but a valid signal for kill(2) */
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                ASSERT_EQ(signal_from_string(table[i].s), table[i].sig);

        char buf[32];
        snprintf(buf, sizeof(buf), "%d", SIGRTMAX);
        ASSERT_EQ(signal_from_string(buf), SIGRTMAX);
        snprintf(buf, sizeof(buf), "%d", SIGRTMAX + 1);
        ASSERT_ERROR(signal_from_string(buf), EINVAL);

        if (SIGRTMAX == 64) { /* all architectures but MIPS */
                ASSERT_EQ(signal_from_string("64"), 64);
                ASSERT_ERROR(signal_from_string("65"), EINVAL);
        }
}

TEST(from_string_names) {
        static const struct {
                const char *s;
                int sig;
        } table[] = {
                { "KILL",      SIGKILL   },
                { "SIGKILL",   SIGKILL   },
                { "kill",      SIGKILL   },
                { "sigkill",   SIGKILL   },
                { "SigKill",   SIGKILL   },
                { "sigterm",   SIGTERM   },
                { "TERM",      SIGTERM   },
                { "HUP",       SIGHUP    },
                { "SIGINT",    SIGINT    },
                { "QUIT",      SIGQUIT   },
                { "ILL",       SIGILL    },
                { "TRAP",      SIGTRAP   },
                { "ABRT",      SIGABRT   },
                { "IOT",       SIGABRT   },
                { "SIGIOT",    SIGABRT   },
                { "BUS",       SIGBUS    },
                { "FPE",       SIGFPE    },
                { "USR1",      SIGUSR1   },
                { "SEGV",      SIGSEGV   },
                { "USR2",      SIGUSR2   },
                { "PIPE",      SIGPIPE   },
                { "ALRM",      SIGALRM   },
                { "STKFLT",    SIGSTKFLT },
                { "CHLD",      SIGCHLD   },
                { "SIGCLD",    SIGCHLD   },
                { "CONT",      SIGCONT   },
                { "STOP",      SIGSTOP   },
                { "TSTP",      SIGTSTP   },
                { "TTIN",      SIGTTIN   },
                { "TTOU",      SIGTTOU   },
                { "URG",       SIGURG    },
                { "XCPU",      SIGXCPU   },
                { "XFSZ",      SIGXFSZ   },
                { "VTALRM",    SIGVTALRM },
                { "PROF",      SIGPROF   },
                { "WINCH",     SIGWINCH  },
                { "SIGWINCH",  SIGWINCH  },
                { "IO",        SIGIO     },
                { "POLL",      SIGIO     },
                { "SIGPOLL",   SIGIO     },
                { "PWR",       SIGPWR    },
                { "SIGPWR",    SIGPWR    },
                { "SYS",       SIGSYS    },
                { "SIGSYS",    SIGSYS    },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                if (signal_from_string(table[i].s) != table[i].sig)
                        fprintf(stderr, "\"%s\":\n", table[i].s);
                ASSERT_EQ(signal_from_string(table[i].s), table[i].sig);
        }

        /* The numbers of the x86/arm/… layout, as a sanity check of the table. */
        ASSERT_EQ(signal_from_string("SIGKILL"), 9);
        ASSERT_EQ(signal_from_string("sigterm"), 15);
}

TEST(from_string_realtime) {
        static const struct {
                const char *s;
                int offset_min; /* SIGRTMIN + offset_min, or … */
                int offset_max; /* … SIGRTMAX - offset_max if offset_min < 0 */
        } table[] = {
                { "RTMIN",       0, 0 },
                { "SIGRTMIN",    0, 0 },
                { "rtmin",       0, 0 },
                { "RTMIN+0",     0, 0 },
                { "RTMIN+1",     1, 0 },
                { "RTMIN+3",     3, 0 },
                { "SIGRTMIN+3",  3, 0 },
                { "sigrtmin+3",  3, 0 },
                { "RTMAX",      -1, 0 },
                { "SIGRTMAX",   -1, 0 },
                { "RTMAX-0",    -1, 0 },
                { "RTMAX-1",    -1, 1 },
                { "SIGRTMAX-1", -1, 1 },
                { "sigrtmax-5", -1, 5 },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                int expected = table[i].offset_min >= 0 ? SIGRTMIN + table[i].offset_min
                                                        : SIGRTMAX - table[i].offset_max;

                if (signal_from_string(table[i].s) != expected)
                        fprintf(stderr, "\"%s\":\n", table[i].s);
                ASSERT_EQ(signal_from_string(table[i].s), expected);
        }

        /* The whole range is reachable from both ends. */
        char buf[32];
        snprintf(buf, sizeof(buf), "RTMIN+%d", SIGRTMAX - SIGRTMIN);
        ASSERT_EQ(signal_from_string(buf), SIGRTMAX);
        snprintf(buf, sizeof(buf), "RTMAX-%d", SIGRTMAX - SIGRTMIN);
        ASSERT_EQ(signal_from_string(buf), SIGRTMIN);
        snprintf(buf, sizeof(buf), "RTMIN+%d", SIGRTMAX - SIGRTMIN + 1);
        ASSERT_ERROR(signal_from_string(buf), EINVAL);
        snprintf(buf, sizeof(buf), "RTMAX-%d", SIGRTMAX - SIGRTMIN + 1);
        ASSERT_ERROR(signal_from_string(buf), EINVAL);
}

TEST(from_string_invalid) {
        static const char *const table[] = {
                "",
                "0",
                "00",
                "-1",
                "-9",
                "+9",
                " 9",
                "9 ",
                "9x",
                "0x9",
                "99999999999999999999",
                "SIG",
                "sig",
                "SIGFOO",
                "FOO",
                "KILLX",
                "SIGSIGKILL",
                " KILL",
                "KILL ",
                "SIG KILL",
                "RTMIN+",
                "RTMIN-1",
                "RTMIN+x",
                "RTMIN+-1",
                "RTMIN++1",
                "RTMIN+1x",
                "RTMAX-",
                "RTMAX+1",
                "RTMAX-x",
                "RTMAX--1",
                "RTMIN+1000",
                "RTMAX-1000",
                "RTMIN+99999999999999999999",
                "RT",
                "RTMID",
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                if (signal_from_string(table[i]) != -EINVAL)
                        fprintf(stderr, "\"%s\":\n", table[i]);
                ASSERT_ERROR(signal_from_string(table[i]), EINVAL);
        }

        ASSERT_ERROR(signal_from_string(NULL), EINVAL);
}

TEST(kill_signal_zero) {
        /* kill's liveness probe; signal_from_string() keeps refusing it */
        ASSERT_EQ(kill_signal_from_string("0"), 0);
        ASSERT_ERROR(signal_from_string("0"), EINVAL);
        ASSERT_EQ(kill_signal_from_string("9"), 9);
        ASSERT_EQ(kill_signal_from_string("SIGUSR1"), SIGUSR1);
        ASSERT_ERROR(kill_signal_from_string("00"), EINVAL);
        ASSERT_ERROR(kill_signal_from_string("SIG0"), EINVAL);
        ASSERT_ERROR(kill_signal_from_string(""), EINVAL);
}

TEST(to_string) {
        static const struct {
                int sig;
                const char *name;
        } table[] = {
                { SIGHUP,    "SIGHUP"    },
                { SIGINT,    "SIGINT"    },
                { SIGKILL,   "SIGKILL"   },
                { SIGTERM,   "SIGTERM"   },
                { SIGABRT,   "SIGABRT"   }, /* not SIGIOT */
                { SIGCHLD,   "SIGCHLD"   }, /* not SIGCLD */
                { SIGIO,     "SIGIO"     }, /* not SIGPOLL */
                { SIGSYS,    "SIGSYS"    },
                { SIGPWR,    "SIGPWR"    },
                { SIGSTKFLT, "SIGSTKFLT" },
                { SIGWINCH,  "SIGWINCH"  },
                { SIGURG,    "SIGURG"    },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                ASSERT_STREQ(signal_to_string(table[i].sig), table[i].name);

        ASSERT_STREQ(signal_to_string(SIGRTMIN), "SIGRTMIN");
        ASSERT_STREQ(signal_to_string(SIGRTMIN + 1), "SIGRTMIN+1");
        ASSERT_STREQ(signal_to_string(SIGRTMIN + 3), "SIGRTMIN+3");
        ASSERT_STREQ(signal_to_string(SIGRTMAX), "SIGRTMAX");

        char buf[32];
        snprintf(buf, sizeof(buf), "SIGRTMIN+%d", SIGRTMAX - 1 - SIGRTMIN);
        ASSERT_STREQ(signal_to_string(SIGRTMAX - 1), buf);
        if (SIGRTMIN == 34 && SIGRTMAX == 64) /* glibc */
                ASSERT_STREQ(signal_to_string(SIGRTMAX - 1), "SIGRTMIN+29");

        ASSERT_NULL(signal_to_string(0));
        ASSERT_NULL(signal_to_string(-1));
        ASSERT_NULL(signal_to_string(-SIGKILL));
        ASSERT_NULL(signal_to_string(SIGRTMAX + 1));
        ASSERT_NULL(signal_to_string(1000));
}

TEST(round_trip) {
        /* Every number that has a name maps back to itself, by name and by the name without "SIG". */
        for (int sig = 1; sig <= SIGRTMAX; sig++) {
                const char *name = signal_to_string(sig);
                char buf[16];

                if (!name) {
                        /* Only the real-time signals the C library keeps for itself have no name. */
                        ASSERT_TRUE(sig >= 32 && sig < SIGRTMIN);
                        continue;
                }
                ASSERT_EQ(signal_from_string(name), sig);
                ASSERT_EQ(signal_from_string(name + 3), sig);

                snprintf(buf, sizeof(buf), "%d", sig);
                ASSERT_EQ(signal_from_string(buf), sig);
        }
}

DEFINE_TEST_MAIN();
