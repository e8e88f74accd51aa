/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "path-util.h"
#include "tests.h"

static void check(const char *a, const char *b, const char *want) {
        char *got = path_join_clean(a, b);

        ASSERT_STREQ(got, want);
        free(got);
}

/* Go's filepath.Join / Clean on the same inputs. */
TEST(join_clean) {
        check("/img", "./parent-dir", "/img/parent-dir");
        check("/img/", "parent", "/img/parent");
        check("img", "../p", "p");
        check("/img", "../../..", "/");
        check("a", "../..", "..");
        check("../a", "b/./c//d", "../a/b/c/d");
        check("", "", ".");
        check("/", NULL, "/");
        check("a/b/..", NULL, "a");
        check("a/..", NULL, ".");
        check("//a//b//", NULL, "/a/b");
        check("..", "..", "../..");
        check("/..", "x", "/x");
}

DEFINE_TEST_MAIN();
