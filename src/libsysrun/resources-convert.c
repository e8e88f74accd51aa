/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <math.h>

#include "resources.h"

#define CPU_QUOTA_PERIOD_DEFAULT UINT64_C(100000)

/* The pure converters of resources.h, each pinned by tests/unit/test-resources.c. */

uint64_t cpu_shares_to_weight(uint64_t shares) {
        double l, exponent;

        if (shares == 0)
                return 0;
        if (shares <= 2)
                return 1;
        if (shares >= 262144)
                return 10000;
        /* weight = 10^((L² + 125·L)/612 − 7/34), L = log2(shares). Written over one denominator
         * (7/34 = 126/612) so that the fixed points 2, 1024 and 262144 come out exact: the exponent
         * is then exactly 0, 2 and 4. */
        l = log2((double) shares);
        exponent = (l * l + 125.0 * l - 126.0) / 612.0;
        return (uint64_t) ceil(pow(10.0, exponent));
}

int memory_swap_to_max(int64_t swap, int64_t limit, uint64_t *ret) {
        /* Unlimited memory and no swap given: both unlimited (cgroup v1 behaviour). */
        if (limit == -1 && swap == 0) {
                *ret = UINT64_MAX;
                return 1;
        }
        if (swap == -1) {
                *ret = UINT64_MAX;
                return 1;
        }
        if (swap == 0)
                return 0;
        if (swap < -1 || limit < -1)
                return -EINVAL;
        if (limit == 0 || limit == -1)
                return -EINVAL; /* a swap limit needs a memory limit */
        if (swap < limit)
                return -EINVAL; /* memory+swap must be ≥ memory */
        *ret = (uint64_t) (swap - limit);
        return 1;
}

int cpu_quota_to_per_sec(int64_t quota, uint64_t period, uint64_t *ret) {
        uint64_t per_sec;

        if (quota <= 0) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (period == 0)
                period = CPU_QUOTA_PERIOD_DEFAULT;
        if ((uint64_t) quota > UINT64_MAX / 1000000)
                return -ERANGE;
        per_sec = (uint64_t) quota * 1000000 / period;
        if (per_sec % 10000 != 0)
                per_sec = (per_sec / 10000 + 1) * 10000;
        *ret = per_sec;
        return 0;
}

#define CPU_LIST_MAX (1U << 20)

int cpu_list_to_mask(const char *list, uint8_t **ret, size_t *ret_size) {
        _cleanup_free_ uint8_t *mask = NULL;
        size_t size = 0;
        const char *p = list;

        while (isspace((unsigned char) *p))
                p++;
        if (!*p)
                return -EINVAL;
        for (;;) {
                unsigned long a, b;
                char *end;

                if (!isdigit((unsigned char) *p))
                        return -EINVAL;
                errno = 0;
                a = strtoul(p, &end, 10);
                if (errno || a >= CPU_LIST_MAX)
                        return -ERANGE;
                b = a;
                p = end;
                if (*p == '-') {
                        p++;
                        if (!isdigit((unsigned char) *p))
                                return -EINVAL;
                        b = strtoul(p, &end, 10);
                        if (errno || b >= CPU_LIST_MAX)
                                return -ERANGE;
                        if (b < a)
                                return -EINVAL;
                        p = end;
                }
                if (b / 8 + 1 > size) {
                        uint8_t *n = realloc(mask, b / 8 + 1);
                        if (!n)
                                return -ENOMEM;
                        memset(n + size, 0, b / 8 + 1 - size);
                        mask = n;
                        size = b / 8 + 1;
                }
                for (unsigned long i = a; i <= b; i++)
                        mask[i / 8] |= (uint8_t) (1U << (i % 8));
                while (isspace((unsigned char) *p))
                        p++;
                if (!*p)
                        break;
                if (*p != ',')
                        return -EINVAL;
                p++;
        }
        *ret = TAKE_PTR(mask);
        *ret_size = size;
        return 0;
}

uint64_t blkio_weight_to_io_weight(uint64_t weight) {
        uint64_t w;

        if (weight == 0)
                return 0;
        w = weight > UINT64_MAX / 100 ? 10000 : weight * 100 / 500;
        return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

uint64_t pids_limit_to_tasks_max(int64_t limit) {
        return limit <= 0 ? UINT64_MAX : (uint64_t) limit;
}

int unified_parse_max(const char *value, uint64_t *ret) {
        unsigned long long v;
        char *end;

        if (streq(value, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (!isdigit((unsigned char) value[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(value, &end, 10);
        if (errno || (*end && !(*end == '\n' && !end[1])))
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_ram_bytes(const char *s, int64_t *ret) {
        static const char units[] = "kmgtp";
        double v, mult = 1;
        char *end;
        const char *u;

        if (streq(s, "-1")) {
                *ret = -1;
                return 0;
        }
        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtod(s, &end);
        if (errno)
                return -ERANGE;
        if (*end == ' ')
                end++;
        if (*end) {
                u = strchr(units, tolower((unsigned char) *end));
                if (!u)
                        return -EINVAL;
                for (const char *q = units; q <= u; q++)
                        mult *= 1024;
                end++;
                if (tolower((unsigned char) *end) == 'i')
                        end++;
                if (tolower((unsigned char) *end) == 'b')
                        end++;
        } else if (tolower((unsigned char) end[-1]) == 'b')
                return -EINVAL;
        if (*end)
                return -EINVAL;
        v *= mult;
        if (v >= 9223372036854775807.0)
                return -ERANGE;
        *ret = (int64_t) v;
        return 0;
}
