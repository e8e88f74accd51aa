/* SPDX-License-Identifier: Apache-2.0 */
#pragma once

/* Minimal test framework: TEST(name) registers a function, main() runs them all.
 * Assertions print file, line, expression, actual and expected, then abort().
 * A test may return 77 from main via TEST_SKIP() semantics (exit code protocol of meson). */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct TestEntry {
        const char *name;
        void (*func)(void);
} TestEntry;

#define TEST(n)                                                                        \
        static void test_##n(void);                                                    \
        static const TestEntry test_entry_##n                                          \
                __attribute__((used, section("sysrun_tests"), aligned(sizeof(void *)))) = { \
                        .name = #n, .func = test_##n                                   \
                };                                                                     \
        static void test_##n(void)

extern const TestEntry __start_sysrun_tests[];
extern const TestEntry __stop_sysrun_tests[];

#define DEFINE_TEST_MAIN()                                                             \
        int main(void) {                                                               \
                for (const TestEntry *t = __start_sysrun_tests; t < __stop_sysrun_tests; t++) { \
                        fprintf(stderr, "/* %s */\n", t->name);                        \
                        t->func();                                                     \
                }                                                                      \
                return 0;                                                              \
        }

#define ASSERT_TRUE(expr)                                                              \
        do {                                                                           \
                if (!(expr)) {                                                         \
                        fprintf(stderr, "%s:%d: Assertion failed: %s\n", __FILE__, __LINE__, #expr); \
                        abort();                                                       \
                }                                                                      \
        } while (0)

#define ASSERT_FALSE(expr) ASSERT_TRUE(!(expr))

#define ASSERT_OK(expr)                                                                \
        do {                                                                           \
                long long _r = (long long) (expr);                                     \
                if (_r < 0) {                                                          \
                        fprintf(stderr, "%s:%d: Assertion failed: %s returned %lld (%s), expected >= 0\n", \
                                __FILE__, __LINE__, #expr, _r, strerror((int) -_r));   \
                        abort();                                                       \
                }                                                                      \
        } while (0)

#define ASSERT_ERROR(expr, err)                                                        \
        do {                                                                           \
                long long _r = (long long) (expr);                                     \
                if (_r != -(long long) (err)) {                                        \
                        fprintf(stderr, "%s:%d: Assertion failed: %s returned %lld, expected -%s (%d)\n", \
                                __FILE__, __LINE__, #expr, _r, #err, (int) (err));     \
                        abort();                                                       \
                }                                                                      \
        } while (0)

#define ASSERT_EQ(a, b)                                                                \
        do {                                                                           \
                long long _a = (long long) (a), _b = (long long) (b);                  \
                if (_a != _b) {                                                        \
                        fprintf(stderr, "%s:%d: Assertion failed: %s == %s: got %lld, expected %lld\n", \
                                __FILE__, __LINE__, #a, #b, _a, _b);                   \
                        abort();                                                       \
                }                                                                      \
        } while (0)

#define ASSERT_EQ_U64(a, b)                                                            \
        do {                                                                           \
                uint64_t _a = (uint64_t) (a), _b = (uint64_t) (b);                     \
                if (_a != _b) {                                                        \
                        fprintf(stderr, "%s:%d: Assertion failed: %s == %s: got %" PRIu64 ", expected %" PRIu64 "\n", \
                                __FILE__, __LINE__, #a, #b, _a, _b);                   \
                        abort();                                                       \
                }                                                                      \
        } while (0)

#define ASSERT_STREQ(a, b)                                                             \
        do {                                                                           \
                const char *_a = (a), *_b = (b);                                       \
                if (!_a || !_b || strcmp(_a, _b) != 0) {                               \
                        fprintf(stderr, "%s:%d: Assertion failed: %s == %s: got \"%s\", expected \"%s\"\n", \
                                __FILE__, __LINE__, #a, #b, _a ?: "(null)", _b ?: "(null)"); \
                        abort();                                                       \
                }                                                                      \
        } while (0)

#define ASSERT_NULL(p) ASSERT_TRUE((p) == NULL)
#define ASSERT_NOT_NULL(p) ASSERT_TRUE((p) != NULL)
