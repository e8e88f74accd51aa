/* SPDX-License-Identifier: Apache-2.0 */
#include "strv.h"
#include "tests.h"

TEST(length) {
        char *l[] = { (char *) "a", (char *) "b", (char *) "c", NULL };
        char *empty[] = { NULL };

        ASSERT_EQ(strv_length(NULL), 0);
        ASSERT_EQ(strv_length(empty), 0);
        ASSERT_EQ(strv_length(l), 3);
}

TEST(extend_and_free) {
        _cleanup_strv_free_ char **l = NULL;
        const char *s = "two";

        ASSERT_OK(strv_extend(&l, "one"));
        ASSERT_OK(strv_extend(&l, s));
        ASSERT_OK(strv_extend(&l, ""));
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_STREQ(l[0], "one");
        ASSERT_STREQ(l[1], "two");
        ASSERT_TRUE(l[1] != s); /* a copy */
        ASSERT_STREQ(l[2], "");
        ASSERT_NULL(l[3]);

        ASSERT_NULL(strv_free(NULL));
}

TEST(consume) {
        _cleanup_strv_free_ char **l = NULL;

        ASSERT_OK(strv_consume(&l, strdup("x")));
        ASSERT_OK(strv_consume(&l, strdup("y")));
        ASSERT_EQ(strv_length(l), 2);
        ASSERT_STREQ(l[1], "y");
        /* A failed strdup() arrives as NULL: reported, list unchanged. */
        ASSERT_ERROR(strv_consume(&l, NULL), ENOMEM);
        ASSERT_EQ(strv_length(l), 2);
}

TEST(copy) {
        _cleanup_strv_free_ char **a = NULL, **b = NULL, **c = NULL;

        ASSERT_OK(strv_extend(&a, "k"));
        ASSERT_OK(strv_extend(&a, "v"));
        b = strv_copy(a);
        ASSERT_NOT_NULL(b);
        ASSERT_EQ(strv_length(b), 2);
        ASSERT_TRUE(b[0] != a[0]);
        ASSERT_STREQ(b[0], "k");
        ASSERT_STREQ(b[1], "v");
        ASSERT_NULL(b[2]);

        c = strv_copy(NULL);
        ASSERT_NOT_NULL(c);
        ASSERT_NULL(c[0]);
}

TEST(contains) {
        char *l[] = { (char *) "pid", (char *) "net", NULL };

        ASSERT_TRUE(strv_contains(l, "pid"));
        ASSERT_TRUE(strv_contains(l, "net"));
        ASSERT_FALSE(strv_contains(l, "ne"));
        ASSERT_FALSE(strv_contains(l, ""));
        ASSERT_FALSE(strv_contains(NULL, "pid"));
}

TEST(env_get) {
        static const struct {
                const char *key;
                const char *expected;
        } table[] = {
                { "PATH", "/bin" },
                { "TERM", "vt100" }, /* the last assignment wins */
                { "EMPTY", "" },
                { "EQ", "a=b" },
                { "PAT", NULL },
                { "PATHX", NULL },
                { "NOVALUE", NULL }, /* no "=": not an assignment */
                { "", NULL },
        };
        char *l[] = {
                (char *) "PATH=/bin",
                (char *) "TERM=xterm",
                (char *) "EMPTY=",
                (char *) "EQ=a=b",
                (char *) "NOVALUE",
                (char *) "TERM=vt100",
                NULL,
        };

        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
                const char *v = strv_env_get(l, table[i].key);

                if (!table[i].expected)
                        ASSERT_NULL(v);
                else
                        ASSERT_STREQ(v, table[i].expected);
        }
        ASSERT_NULL(strv_env_get(NULL, "PATH"));
}

TEST(pairs) {
        char *a[] = {
                (char *) "a", (char *) "1", (char *) "b", (char *) "", (char *) "a", (char *) "3", NULL,
        };
        char **l = a; /* STRV_FOREACH_PAIR() tests its argument for NULL, which an array never is */
        size_t n = 0;

        ASSERT_STREQ(strv_pairs_get(l, "a"), "1"); /* the first pair wins */
        ASSERT_STREQ(strv_pairs_get(l, "b"), "");
        ASSERT_NULL(strv_pairs_get(l, "1")); /* values are not keys */
        ASSERT_NULL(strv_pairs_get(l, "c"));
        ASSERT_NULL(strv_pairs_get(NULL, "a"));

        STRV_FOREACH_PAIR(k, v, l) {
                ASSERT_STREQ(*k, l[2 * n]);
                ASSERT_STREQ(*v, l[2 * n + 1]);
                n++;
        }
        ASSERT_EQ(n, 3);
}

TEST(foreach) {
        char *l[] = { (char *) "x", (char *) "y", NULL };
        size_t n = 0;

        STRV_FOREACH(s, l)
                ASSERT_STREQ(*s, l[n++]);
        ASSERT_EQ(n, 2);

        STRV_FOREACH(s, (char **) NULL)
                n++;
        ASSERT_EQ(n, 2);
}

TEST(join) {
        char *l[] = { (char *) "a", (char *) "bc", (char *) "", (char *) "d", NULL };
        _cleanup_free_ char *j = strv_join(l, ", "), *e = strv_join(NULL, ", "), *one = strv_join(l + 3, "-");

        ASSERT_STREQ(j, "a, bc, , d");
        ASSERT_STREQ(e, "");
        ASSERT_STREQ(one, "d");
}

DEFINE_TEST_MAIN();
