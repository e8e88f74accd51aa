/* SPDX-License-Identifier: Apache-2.0 */
#include <limits.h>
#include <signal.h>
#include <strings.h>

#include "macro.h"
#include "signals.h"

typedef struct SignalName {
        const char *name; /* with the "SIG" prefix */
        int sig;
} SignalName;

/* The canonical name of each number comes first: signal_to_string() returns the first match, the
 * aliases after it are only accepted by signal_from_string(). */
static const SignalName signal_names[] = {
        { "SIGHUP",    SIGHUP    },
        { "SIGINT",    SIGINT    },
        { "SIGQUIT",   SIGQUIT   },
        { "SIGILL",    SIGILL    },
        { "SIGTRAP",   SIGTRAP   },
        { "SIGABRT",   SIGABRT   },
        { "SIGBUS",    SIGBUS    },
        { "SIGFPE",    SIGFPE    },
        { "SIGKILL",   SIGKILL   },
        { "SIGUSR1",   SIGUSR1   },
        { "SIGSEGV",   SIGSEGV   },
        { "SIGUSR2",   SIGUSR2   },
        { "SIGPIPE",   SIGPIPE   },
        { "SIGALRM",   SIGALRM   },
        { "SIGTERM",   SIGTERM   },
#ifdef SIGSTKFLT
        { "SIGSTKFLT", SIGSTKFLT },
#endif
        { "SIGCHLD",   SIGCHLD   },
        { "SIGCONT",   SIGCONT   },
        { "SIGSTOP",   SIGSTOP   },
        { "SIGTSTP",   SIGTSTP   },
        { "SIGTTIN",   SIGTTIN   },
        { "SIGTTOU",   SIGTTOU   },
        { "SIGURG",    SIGURG    },
        { "SIGXCPU",   SIGXCPU   },
        { "SIGXFSZ",   SIGXFSZ   },
        { "SIGVTALRM", SIGVTALRM },
        { "SIGPROF",   SIGPROF   },
        { "SIGWINCH",  SIGWINCH  },
        { "SIGIO",     SIGIO     },
        { "SIGPWR",    SIGPWR    },
        { "SIGSYS",    SIGSYS    },
#ifdef SIGEMT
        { "SIGEMT",    SIGEMT    },
#endif
        /* Aliases */
        { "SIGIOT",    SIGIOT    },
        { "SIGCLD",    SIGCHLD   },
        { "SIGPOLL",   SIGPOLL   },
#ifdef SIGUNUSED
        { "SIGUNUSED", SIGUNUSED },
#endif
};

/* Names of SIGRTMIN+0 … SIGRTMIN+32, indexed by sig - SIGRTMIN: Linux has the real-time signals 32..64
 * at most, of which the C library reserves the first few, so SIGRTMAX - SIGRTMIN <= 32. SIGRTMAX itself
 * is named "SIGRTMAX". The signals below SIGRTMIN that the C library reserves (32, 33 with glibc) have
 * no name. */
static const char *const rt_names[] = {
        "SIGRTMIN",    "SIGRTMIN+1",  "SIGRTMIN+2",  "SIGRTMIN+3",  "SIGRTMIN+4",  "SIGRTMIN+5",
        "SIGRTMIN+6",  "SIGRTMIN+7",  "SIGRTMIN+8",  "SIGRTMIN+9",  "SIGRTMIN+10", "SIGRTMIN+11",
        "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+16", "SIGRTMIN+17",
        "SIGRTMIN+18", "SIGRTMIN+19", "SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22", "SIGRTMIN+23",
        "SIGRTMIN+24", "SIGRTMIN+25", "SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28", "SIGRTMIN+29",
        "SIGRTMIN+30", "SIGRTMIN+31", "SIGRTMIN+32",
};

/* Parses a non-empty string of decimal digits only (no sign, no blanks, no trailing junk). */
static int parse_unsigned(const char *s, int *ret) {
        long v = 0;

        if (isempty(s))
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (*p - '0');
                if (v > INT_MAX)
                        return -ERANGE;
        }
        *ret = (int) v;
        return 0;
}

static const char *startswith_no_case(const char *s, const char *prefix) {
        size_t l = strlen(prefix);

        return strncasecmp(s, prefix, l) == 0 ? s + l : NULL;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (without the SIG prefix). */
static int parse_rt(const char *s) {
        const char *p;
        int n;

        if (strcasecmp(s, "RTMIN") == 0)
                return SIGRTMIN;
        if (strcasecmp(s, "RTMAX") == 0)
                return SIGRTMAX;

        if ((p = startswith_no_case(s, "RTMIN+"))) {
                if (parse_unsigned(p, &n) < 0 || n > SIGRTMAX - SIGRTMIN)
                        return -EINVAL;
                return SIGRTMIN + n;
        }
        if ((p = startswith_no_case(s, "RTMAX-"))) {
                if (parse_unsigned(p, &n) < 0 || n > SIGRTMAX - SIGRTMIN)
                        return -EINVAL;
                return SIGRTMAX - n;
        }

        return -EINVAL;
}

int signal_from_string(const char *s) {
        const char *name;
        int sig;

        if (isempty(s))
                return -EINVAL;

        if (parse_unsigned(s, &sig) >= 0)
                return sig >= 1 && sig <= SIGRTMAX ? sig : -EINVAL;
        if (*s >= '0' && *s <= '9')
                return -EINVAL; /* "9x", or a number too large for an int */

        name = startswith_no_case(s, "SIG") ?: s;
        if (isempty(name))
                return -EINVAL;

        for (size_t i = 0; i < ELEMENTSOF(signal_names); i++)
                if (strcasecmp(name, signal_names[i].name + 3) == 0)
                        return signal_names[i].sig;

        return parse_rt(name);
}

int kill_signal_from_string(const char *s) {
        return streq_ptr(s, "0") ? 0 : signal_from_string(s);
}

const char *signal_to_string(int sig) {
        if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
                if (sig == SIGRTMAX)
                        return "SIGRTMAX";
                if ((size_t) (sig - SIGRTMIN) < ELEMENTSOF(rt_names))
                        return rt_names[sig - SIGRTMIN];
                return NULL;
        }

        for (size_t i = 0; i < ELEMENTSOF(signal_names); i++)
                if (signal_names[i].sig == sig)
                        return signal_names[i].name;

        return NULL;
}
