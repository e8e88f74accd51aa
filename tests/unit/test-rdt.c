/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <json-c/json.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "rdt.h"
#include "tests.h"

#define ASSERT_ERROR_MSG(expr, err, needle)                                                    \
        do {                                                                                   \
                SysrunError _e = SYSRUN_ERROR_NULL;                                            \
                long long _r = (long long) (expr);                                             \
                if (_r != -(long long) (err) || !_e.msg || !strstr(_e.msg, (needle))) {        \
                        fprintf(stderr, "%s:%d: %s returned %lld (expected -%s), message \"%s\", "   \
                                "expected to contain \"%s\"\n", __FILE__, __LINE__, #expr, _r, #err,  \
                                _e.msg ?: "(null)", (needle));                                 \
                        abort();                                                               \
                }                                                                              \
                sysrun_error_done(&_e);                                                        \
        } while (0)

/* ---- a fake resctrl tree in a temporary directory ----------------------------------------------- */

static void put(int dirfd, const char *path, const char *text) {
        char buf[512], *p;

        snprintf(buf, sizeof(buf), "%s", path);
        for (p = strchr(buf, '/'); p; p = strchr(p + 1, '/')) {
                *p = 0;
                (void) mkdirat(dirfd, buf, 0755);
                *p = '/';
        }
        if (!text) {
                ASSERT_TRUE(mkdirat(dirfd, buf, 0755) == 0 || errno == EEXIST);
                return;
        }
        _cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0);
        ASSERT_OK(loop_write(fd, text, strlen(text)));
}

typedef struct Tree {
        char path[64];
        int fd;
} Tree;

static void tree_done(Tree *t) {
        if (t->fd >= 0) {
                ASSERT_OK(rm_rf_at(AT_FDCWD, t->path));
                safe_close(t->fd);
        }
}

/* The two-socket host of the integration tests: L3 (20 bits, min 1), MB (min 10, step 10), L3_MON. */
static void tree_two_socket(Tree *t) {
        snprintf(t->path, sizeof(t->path), "/tmp/test-rdt.XXXXXX");
        ASSERT_NOT_NULL(mkdtemp(t->path));
        t->fd = open(t->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(t->fd >= 0);
        put(t->fd, "schemata", "L3:0=fffff;1=fffff\nMB:0=100;1=100\n");
        put(t->fd, "info/L3/cbm_mask", "fffff\n");
        put(t->fd, "info/L3/min_cbm_bits", "1\n");
        put(t->fd, "info/L3/num_closids", "16\n");
        put(t->fd, "info/MB/bandwidth_gran", "10\n");
        put(t->fd, "info/MB/min_bandwidth", "10\n");
        put(t->fd, "info/MB/num_closids", "8\n");
        put(t->fd, "info/MB/delay_linear", "1\n");
        put(t->fd, "info/L3_MON/mon_features", "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n");
        put(t->fd, "info/last_cmd_status", "ok\n");
        put(t->fd, "mon_groups", NULL);
        put(t->fd, "mon_data/mon_L3_00/llc_occupancy", "1\n");
}

static void info_two_socket(RdtInfo *info) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF };

        tree_two_socket(&t);
        ASSERT_OK(rdt_info_load(t.fd, false, info, NULL));
}

static int validate(const RdtInfo *info, const char *line, SysrunError *e) {
        _cleanup_(rdt_schemata_done) RdtSchemata s = {};
        int r;

        r = rdt_schemata_add(&s, line, "t", e);
        if (r < 0)
                return r;
        return rdt_schemata_validate(info, &s, e);
}

/* ---- parsing ------------------------------------------------------------------------------------ */

TEST(line_parse) {
        RdtSchemata s = { .lines = calloc(1, sizeof(RdtLine)), .n_lines = 1 };
        RdtLine l;

        ASSERT_OK(rdt_line_parse("L3:0=ffff0;1=3ff", "o", &l, NULL));
        ASSERT_STREQ(l.resource, "L3");
        ASSERT_STREQ(l.text, "L3:0=ffff0;1=3ff");
        ASSERT_STREQ(l.origin, "o");
        ASSERT_EQ(l.n_domains, 2);
        ASSERT_EQ(l.domains[0].id, 0);
        ASSERT_STREQ(l.domains[0].value, "ffff0");
        ASSERT_EQ(l.domains[1].id, 1);
        ASSERT_STREQ(l.domains[1].value, "3ff");
        s.lines[0] = l;
        rdt_schemata_done(&s);
        ASSERT_NULL(s.lines);
}

TEST(line_parse_kernel_output) {
        _cleanup_(rdt_schemata_done) RdtSchemata s = {};

        /* The kernel right-aligns names and pads MB values; a trailing ";" is accepted. */
        ASSERT_OK(rdt_schemata_add(&s, "    L3:0=000ff;1=fffff\n    MB:0=100;1= 50\n\nL2:0=f;\n", NULL,
                                   NULL));
        ASSERT_EQ(s.n_lines, 3);
        ASSERT_STREQ(s.lines[0].resource, "L3");
        ASSERT_STREQ(s.lines[0].domains[0].value, "000ff");
        ASSERT_STREQ(s.lines[1].resource, "MB");
        ASSERT_STREQ(s.lines[1].domains[1].value, "50");
        ASSERT_EQ(s.lines[2].n_domains, 1);
        ASSERT_NOT_NULL(rdt_schemata_find(&s, "MB"));
        ASSERT_NULL(rdt_schemata_find(&s, "L3CODE"));
}

TEST(line_parse_errors) {
        RdtLine l;

        ASSERT_ERROR_MSG(rdt_line_parse("L3", "x", &l, &_e), EINVAL, "x: 'L3': expected");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:", "x", &l, &_e), EINVAL, "no domains");
        ASSERT_ERROR_MSG(rdt_line_parse(":0=f", "x", &l, &_e), EINVAL, "is not a resource name");
        ASSERT_ERROR_MSG(rdt_line_parse("L-3:0=f", "x", &l, &_e), EINVAL, "is not a resource name");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:0", "x", &l, &_e), EINVAL, "'0' is not ID=VALUE");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:x=f", "x", &l, &_e), EINVAL, "'x' is not a domain id");
        ASSERT_ERROR_MSG(rdt_line_parse("L3: 0=f", "x", &l, &_e), EINVAL, "is not a domain id");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:0=", "x", &l, &_e), EINVAL, "bad value");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:0=f f", "x", &l, &_e), EINVAL, "bad value");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:0=f;;1=f", "x", &l, &_e), EINVAL, "empty entry");
        ASSERT_ERROR_MSG(rdt_line_parse("L3:99999999999=f", "x", &l, &_e), EINVAL, "is not a domain id");
        /* No message sink: still just an error. */
        ASSERT_ERROR(rdt_line_parse("nonsense", NULL, &l, NULL), EINVAL);
}

TEST(parse_numbers) {
        uint64_t v;

        ASSERT_OK(rdt_parse_cbm("ffff0", &v));
        ASSERT_EQ_U64(v, 0xffff0);
        ASSERT_OK(rdt_parse_cbm("0xF0F", &v));
        ASSERT_EQ_U64(v, 0xf0f);
        ASSERT_OK(rdt_parse_cbm("0000000000000000000003ff", &v));
        ASSERT_EQ_U64(v, 0x3ff);
        ASSERT_OK(rdt_parse_cbm("ffffffffffffffff", &v));
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_ERROR(rdt_parse_cbm("1ffffffffffffffff", &v), ERANGE);
        ASSERT_ERROR(rdt_parse_cbm("", &v), EINVAL);
        ASSERT_ERROR(rdt_parse_cbm("0x", &v), EINVAL);
        ASSERT_ERROR(rdt_parse_cbm("fg", &v), EINVAL);
        ASSERT_ERROR(rdt_parse_cbm("-1", &v), EINVAL);

        ASSERT_OK(rdt_parse_uint(" 50\n", &v));
        ASSERT_EQ_U64(v, 50);
        ASSERT_ERROR(rdt_parse_uint("-5", &v), EINVAL);
        ASSERT_ERROR(rdt_parse_uint("5x", &v), EINVAL);
        ASSERT_ERROR(rdt_parse_uint("", &v), EINVAL);
        ASSERT_ERROR(rdt_parse_uint("99999999999999999999999", &v), ERANGE);
}

TEST(from_config) {
        _cleanup_(rdt_schemata_done) RdtSchemata s = {}, t = {};
        _cleanup_free_ char *text = NULL;
        char *lines[] = { (char *) "L2:0=ff;1=ff", (char *) "L3CODE:0=f", NULL };

        ASSERT_OK(rdt_schemata_from_config("L3:0=7f0;1=1f", "MB:0=20;1=70", lines, "linux.intelRdt", &s,
                                           NULL));
        ASSERT_EQ(s.n_lines, 4);
        ASSERT_STREQ(s.lines[0].origin, "linux.intelRdt.l3CacheSchema");
        ASSERT_STREQ(s.lines[1].origin, "linux.intelRdt.memBwSchema");
        ASSERT_STREQ(s.lines[3].origin, "linux.intelRdt.schemata[1]");
        /* The spec's order: l3CacheSchema, memBwSchema, then schemata. */
        text = rdt_schemata_to_string(&s);
        ASSERT_STREQ(text, "L3:0=7f0;1=1f\nMB:0=20;1=70\nL2:0=ff;1=ff\nL3CODE:0=f\n");

        /* MB lines inside l3CacheSchema give way to memBwSchema; empty fields are unset. */
        ASSERT_OK(rdt_schemata_from_config("L3:0=f\nMB:0=50", "MB:0=70", NULL, "p", &t, NULL));
        ASSERT_EQ(t.n_lines, 2);
        ASSERT_STREQ(t.lines[1].text, "MB:0=70");
        rdt_schemata_done(&t);
        ASSERT_OK(rdt_schemata_from_config("L3:0=f\nMB:0=50", "", NULL, "p", &t, NULL));
        ASSERT_EQ(t.n_lines, 2);
        ASSERT_STREQ(t.lines[1].text, "MB:0=50");
        rdt_schemata_done(&t);
        ASSERT_OK(rdt_schemata_from_config(NULL, NULL, NULL, "p", &t, NULL));
        ASSERT_EQ(t.n_lines, 0);
        ASSERT_NULL(rdt_schemata_to_string(&t));

        ASSERT_ERROR_MSG(rdt_schemata_from_config(NULL, "L3:0=f", NULL, "p", &t, &_e), EINVAL,
                         "p.memBwSchema: 'L3:0=f': must be an 'MB:' line");
        lines[1] = (char *) "L3CODE";
        ASSERT_ERROR_MSG(rdt_schemata_from_config(NULL, NULL, lines, "p", &t, &_e), EINVAL,
                         "p.schemata[1]: 'L3CODE'");
}

/* ---- info/ -------------------------------------------------------------------------------------- */

TEST(info_load) {
        _cleanup_(rdt_info_done) RdtInfo info = {};
        const RdtResource *l3, *mb;

        info_two_socket(&info);
        ASSERT_EQ(info.n_resources, 2);
        l3 = rdt_info_find(&info, "L3");
        ASSERT_NOT_NULL(l3);
        ASSERT_EQ(l3->kind, RDT_KIND_CACHE);
        ASSERT_EQ_U64(l3->cbm_mask, 0xfffff);
        ASSERT_EQ_U64(l3->min_cbm_bits, 1);
        ASSERT_EQ_U64(l3->num_closids, 16);
        ASSERT_FALSE(l3->sparse_masks);
        ASSERT_EQ(l3->n_domain_ids, 2);
        mb = rdt_info_find(&info, "MB");
        ASSERT_NOT_NULL(mb);
        ASSERT_EQ(mb->kind, RDT_KIND_BANDWIDTH);
        ASSERT_EQ_U64(mb->bandwidth_gran, 10);
        ASSERT_EQ_U64(mb->min_bandwidth, 10);
        ASSERT_EQ_U64(mb->max_bandwidth, 100);
        ASSERT_EQ_U64(rdt_info_num_closids(&info), 8); /* the smallest */
        ASSERT_TRUE(info.monitoring);
        ASSERT_TRUE(info.mbm_total && info.mbm_local && info.llc_occupancy);
        ASSERT_NULL(rdt_info_find(&info, "L2"));
}

TEST(info_malformed) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF };
        RdtInfo info = {};

        tree_two_socket(&t);
        put(t.fd, "info/L3/cbm_mask", "xyz\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "'info/L3/cbm_mask' holds 'xyz'");
        put(t.fd, "info/L3/cbm_mask", "0\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "non-zero");
        put(t.fd, "info/L3/cbm_mask", "fffff\n");
        put(t.fd, "info/L3/min_cbm_bits", "\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "'info/L3/min_cbm_bits' holds ''");
        put(t.fd, "info/L3/min_cbm_bits", "1\n");
        put(t.fd, "info/L3/num_closids", "0\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "num_closids' is 0");
        put(t.fd, "info/L3/num_closids", "16\n");
        ASSERT_OK(unlinkat(t.fd, "info/MB/min_bandwidth", 0));
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), ENOENT,
                         "cannot read 'info/MB/min_bandwidth'");
        put(t.fd, "info/MB/min_bandwidth", "10\n");
        put(t.fd, "info/MB/bandwidth_gran", "0\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "bandwidth_gran' is 0");
        put(t.fd, "info/MB/bandwidth_gran", "10\n");

        put(t.fd, "schemata", "L3:0=fffff;1=fffff\nMB:0=100;1=100\nL2:0=ff\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG,
                         "names 'L2', but info/L2 is missing");
        put(t.fd, "info/L2/whatever", "1\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EOPNOTSUPP,
                         "resource 'L2' is not supported");
        put(t.fd, "schemata", "garbage\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EINVAL,
                         "resctrl: root schemata: 'garbage'");
        put(t.fd, "schemata", "L3:0=fffff\nL3:1=fffff\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "lists 'L3' twice");
        put(t.fd, "schemata", "MB:0=100;1=lots\n");
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), EBADMSG, "'lots' is not a number");
        ASSERT_OK(unlinkat(t.fd, "schemata", 0));
        ASSERT_ERROR_MSG(rdt_info_load(t.fd, false, &info, &_e), ENOENT,
                         "cannot read the root group's schemata");

        /* An empty root schemata (a monitoring-only host) is not an error. */
        put(t.fd, "schemata", "");
        ASSERT_OK(rdt_info_load(t.fd, false, &info, NULL));
        ASSERT_EQ(info.n_resources, 0);
        ASSERT_EQ_U64(rdt_info_num_closids(&info), 0);
        rdt_info_done(&info);
}

/* ---- validation --------------------------------------------------------------------------------- */

TEST(validate_cache) {
        _cleanup_(rdt_info_done) RdtInfo info = {};
        RdtResource *l3;

        info_two_socket(&info);
        ASSERT_OK(validate(&info, "L3:0=ffff0;1=3ff", NULL));
        ASSERT_OK(validate(&info, "L3:1=0x1", NULL));
        ASSERT_OK(validate(&info, "L3:0=fffff", NULL));
        ASSERT_ERROR_MSG(validate(&info, "L3:0=0xf0f", &_e), EINVAL,
                         "t: 'L3:0=0xf0f': cache id 0: mask 0xf0f is not a contiguous run of set bits");
        ASSERT_ERROR_MSG(validate(&info, "L3:0=ffff0;1=101", &_e), EINVAL,
                         "cache id 1: mask 101 is not a contiguous");
        ASSERT_ERROR_MSG(validate(&info, "L3:0=1fffff", &_e), EINVAL, "has bits outside cbm_mask fffff");
        ASSERT_ERROR_MSG(validate(&info, "L3:0=0", &_e), EINVAL, "has 0 bits set, L3 needs at least 1");
        ASSERT_ERROR_MSG(validate(&info, "L3:2=f", &_e), EINVAL, "cache id 2 does not exist (L3 has 0, 1)");
        ASSERT_ERROR_MSG(validate(&info, "L3:0=zz", &_e), EINVAL, "'zz' is not a hexadecimal bitmask");
        ASSERT_ERROR_MSG(validate(&info, "L2:0=f", &_e), EOPNOTSUPP,
                         "resource 'L2' is not available on this host (resctrl has: L3, MB)");
        ASSERT_ERROR_MSG(validate(&info, "L3:0=f;0=f", &_e), EINVAL,
                         "L3 cache id 0 is set twice (also by this line)");
        ASSERT_ERROR_MSG(validate(&info, "L3:0=f\nL3:1=f;0=f0", &_e), EINVAL,
                         "'L3:1=f;0=f0': L3 cache id 0 is set twice");

        l3 = (RdtResource *) rdt_info_find(&info, "L3");
        l3->min_cbm_bits = 2;
        ASSERT_ERROR_MSG(validate(&info, "L3:0=8", &_e), EINVAL, "has 1 bits set, L3 needs at least 2");
        ASSERT_OK(validate(&info, "L3:0=18", NULL));
        l3->min_cbm_bits = 0;
        ASSERT_OK(validate(&info, "L3:0=0", NULL)); /* hardware that allows empty masks */
        l3->sparse_masks = true;
        ASSERT_OK(validate(&info, "L3:0=0xf0f", NULL));
}

TEST(validate_bandwidth) {
        _cleanup_(rdt_info_done) RdtInfo info = {};

        info_two_socket(&info);
        ASSERT_OK(validate(&info, "MB:0=50;1=100", NULL));
        ASSERT_OK(validate(&info, "MB:0=10", NULL));
        ASSERT_ERROR_MSG(validate(&info, "MB:0=5", &_e), EINVAL, "domain 0: 5 is below min_bandwidth 10");
        ASSERT_ERROR_MSG(validate(&info, "MB:1=55", &_e), EINVAL,
                         "domain 1: 55 is not a multiple of bandwidth_gran 10");
        ASSERT_ERROR_MSG(validate(&info, "MB:0=110", &_e), EINVAL, "110 is above the maximum 100");
        ASSERT_ERROR_MSG(validate(&info, "MB:0=abc", &_e), EINVAL, "'abc' is not a bandwidth value");
        ASSERT_ERROR_MSG(validate(&info, "MB:0=0x10", &_e), EINVAL, "is not a bandwidth value");
        ASSERT_ERROR_MSG(validate(&info, "MB:3=50", &_e), EINVAL, "domain 3 does not exist");
        ASSERT_ERROR_MSG(validate(&info, "MB:0=50\nMB:0=50", &_e), EINVAL, "set twice (also by t)");

        /* mba_MBps: values are MBps, no bounds or steps beyond 32 bits. */
        info.mba_mbps = true;
        ASSERT_OK(validate(&info, "MB:0=5000;1=55", NULL));
        ASSERT_OK(validate(&info, "MB:0=5", NULL));
        ASSERT_ERROR_MSG(validate(&info, "MB:0=99999999999", &_e), EINVAL, "is not a bandwidth value");
}

TEST(validate_amd_scale) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF };
        _cleanup_(rdt_info_done) RdtInfo info = {};

        /* AMD: step 1, no minimum, the root holds the (larger) maximum. */
        tree_two_socket(&t);
        put(t.fd, "schemata", "MB:0=2048;1=2048\n");
        put(t.fd, "info/MB/bandwidth_gran", "1\n");
        put(t.fd, "info/MB/min_bandwidth", "0\n");
        ASSERT_OK(rdt_info_load(t.fd, false, &info, NULL));
        ASSERT_EQ_U64(rdt_info_find(&info, "MB")->max_bandwidth, 2048);
        ASSERT_OK(validate(&info, "MB:0=1500", NULL));
        ASSERT_ERROR_MSG(validate(&info, "MB:0=2049", &_e), EINVAL, "above the maximum 2048");
}

static int compare(const RdtInfo *info, const char *want_text, const char *have_text, SysrunError *e) {
        _cleanup_(rdt_schemata_done) RdtSchemata want = {}, have = {};

        ASSERT_OK(rdt_schemata_add(&want, want_text, "w", NULL));
        ASSERT_OK(rdt_schemata_add(&have, have_text, NULL, NULL));
        return rdt_schemata_compare(info, &want, &have, "g", e);
}

TEST(compare) {
        _cleanup_(rdt_info_done) RdtInfo info = {};
        const char *have = "    L3:0=0ffff0;1=003ff\n    MB:0=100;1= 50\n";

        info_two_socket(&info);
        /* Order and leading zeros do not matter; domains the request leaves out are not compared. */
        ASSERT_OK(compare(&info, "L3:1=3ff;0=ffff0", have, NULL));
        ASSERT_OK(compare(&info, "L3:0=0xffff0", have, NULL));
        ASSERT_OK(compare(&info, "MB:1=50\nL3:1=03ff", have, NULL));
        ASSERT_OK(compare(&info, "MB:0=100;1=050", have, NULL));
        ASSERT_ERROR_MSG(compare(&info, "L3:0=ffff0;1=ff", have, &_e), EEXIST,
                         "w: 'L3:0=ffff0;1=ff': resctrl group 'g' already exists with a different "
                         "schemata (L3 cache id 1 is 003ff there)");
        ASSERT_ERROR_MSG(compare(&info, "MB:0=90", have, &_e), EEXIST, "(MB domain 0 is 100 there)");
        ASSERT_ERROR_MSG(compare(&info, "L3:0=ffff0", "MB:0=100\n", &_e), EEXIST, "has no L3 cache id 0");
}

TEST(mountinfo) {
        _cleanup_free_ char *path = NULL, *p2 = NULL;
        bool mbps = true;
        const char *mi =
                "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw\n"
                "garbage line without separator\n"
                "40 25 0:35 / /sys/fs/resctrl rw,relatime shared:20 - resctrl resctrl rw\n"
                "41 25 0:36 / /other rw - resctrl resctrl rw,mba_MBps\n";

        ASSERT_OK(rdt_mountinfo_find(mi, &path, &mbps));
        ASSERT_STREQ(path, "/sys/fs/resctrl");
        ASSERT_FALSE(mbps);

        ASSERT_OK(rdt_mountinfo_find("41 25 0:36 / /mnt/res\\040ctrl rw - resctrl resctrl rw,cdp,mba_MBps",
                                     &p2,
                                     &mbps));
        ASSERT_STREQ(p2, "/mnt/res ctrl");
        ASSERT_TRUE(mbps);

        ASSERT_ERROR(rdt_mountinfo_find("22 1 0:21 / /proc rw - proc proc rw\n", &path, &mbps), ENOENT);
        ASSERT_ERROR(rdt_mountinfo_find("22 1 0:21 / /x rw - resctrlfs x rw\n", &path, &mbps), ENOENT);
        ASSERT_ERROR(rdt_mountinfo_find("", &path, &mbps), ENOENT);
        ASSERT_ERROR(rdt_mountinfo_find("1 2 - resctrl", &path, &mbps), ENOENT);
}

TEST(group_names) {
        ASSERT_TRUE(rdt_group_name_is_valid("c1"));
        ASSERT_TRUE(rdt_group_name_is_valid("guaranteed_group"));
        ASSERT_FALSE(rdt_group_name_is_valid(""));
        ASSERT_FALSE(rdt_group_name_is_valid(NULL));
        ASSERT_FALSE(rdt_group_name_is_valid("/"));
        ASSERT_FALSE(rdt_group_name_is_valid("a/b"));
        ASSERT_FALSE(rdt_group_name_is_valid(".."));
        ASSERT_FALSE(rdt_group_name_is_valid("info"));
        ASSERT_FALSE(rdt_group_name_is_valid("mon_groups"));
        ASSERT_FALSE(rdt_group_name_is_valid("mon_data"));
}

TEST(count_groups) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF };

        tree_two_socket(&t);
        ASSERT_EQ(rdt_count_groups(t.fd), 1); /* info, mon_groups, mon_data and files are no groups */
        put(t.fd, "g1", NULL);
        put(t.fd, "g2/tasks", "");
        ASSERT_EQ(rdt_count_groups(t.fd), 3);
}

TEST(features) {
        bool a = false, b = false, c = false;

        ASSERT_OK(rdt_features(&a, &b, &c));
        ASSERT_TRUE(a && b && c);
}

/* ---- the filesystem side, against a fake tree (SYSRUN_RESCTRL_ROOT) ---------------------------- */

static char *cat(int dirfd, const char *path) {
        char *text = NULL;

        if (read_full_file_at(dirfd, path, 1 << 20, &text, NULL) < 0)
                return NULL;
        return text;
}

TEST(life_cycle) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF }, st = { .fd = -EBADF };
        _cleanup_(rdt_plan_freep) RdtPlan *p = NULL;
        ContainerState s = { .id = (char *) "c1", .stored_status = CONTAINER_CREATING };
        OciIntelRdt cfg = { .set = true, .l3_cache_schema = (char *) "L3:0=ff", .enable_monitoring = true };
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *f = NULL;

        tree_two_socket(&t);
        tree_two_socket(&st); /* just a directory for state.json */
        ASSERT_OK(setenv(RDT_ROOT_ENV, t.path, 1));

        ASSERT_OK(rdt_prepare(&cfg, "c1", &p, NULL));
        ASSERT_TRUE(faccessat(t.fd, "c1", F_OK, 0) < 0); /* nothing made yet */
        ASSERT_OK(rdt_enter(p, &s, st.fd, 4242, NULL));
        ASSERT_STREQ(s.rdt_group, "c1");
        ASSERT_STREQ(s.rdt_mon_group, "c1");
        ASSERT_TRUE(s.rdt_group_created);
        ASSERT_STREQ(a = cat(t.fd, "c1/schemata"), "L3:0=ff\n");
        ASSERT_STREQ(b = cat(t.fd, "c1/tasks"), "4242\n");
        ASSERT_STREQ(c = cat(t.fd, "c1/mon_groups/c1/tasks"), "4242\n");
        /* Recorded before anything was made. */
        f = cat(st.fd, "state.json");
        ASSERT_NOT_NULL(strstr(f, "\"rdtGroupCreated\":true"));
        rdt_commit(p, &s);
        ASSERT_TRUE(s.rdt_group_created); /* no explicit closID */

        /* A second container with the same id-named group: shared, no MON group conflict. */
        {
                _cleanup_(rdt_plan_freep) RdtPlan *q = NULL;
                ASSERT_ERROR_MSG(rdt_prepare(&cfg, "c1", &q, &_e), EEXIST,
                                 "monitoring group 'c1' already exists");
        }

        ASSERT_OK(rdt_join(&s, 77, NULL));
        ASSERT_STREQ(d = cat(t.fd, "c1/mon_groups/c1/tasks"), "4242\n77\n");

        ASSERT_OK(rdt_update(&s, NULL, "MB:1=30", NULL, NULL));
        free(a);
        ASSERT_STREQ(a = cat(t.fd, "c1/schemata"), "MB:1=30\n");
        ASSERT_ERROR_MSG(rdt_update(&s, "L3:0=f0f", NULL, NULL, &_e), EINVAL,
                         "intelRdt.l3CacheSchema: 'L3:0=f0f': cache id 0: mask f0f is not a contiguous");
        free(a);
        ASSERT_STREQ(a = cat(t.fd, "c1/schemata"), "MB:1=30\n");
        ASSERT_OK(rdt_update(&s, NULL, NULL, NULL, NULL)); /* nothing to do */

        ASSERT_OK(rdt_destroy(&s, NULL));
        ASSERT_TRUE(faccessat(t.fd, "c1", F_OK, 0) < 0);
        ASSERT_OK(rdt_destroy(&s, NULL)); /* idempotent */

        /* Explicit closID: made, but kept at delete once the create succeeded. */
        rdt_plan_free(TAKE_PTR(p));
        cfg.clos_id = (char *) "mine";
        cfg.enable_monitoring = false;
        ASSERT_OK(rdt_prepare(&cfg, "c2", &p, NULL));
        ASSERT_OK(rdt_enter(p, &s, st.fd, 4243, NULL));
        ASSERT_TRUE(s.rdt_group_created);
        ASSERT_NULL(s.rdt_mon_group);
        rdt_commit(p, &s);
        ASSERT_FALSE(s.rdt_group_created);
        ASSERT_OK(rdt_destroy(&s, NULL));
        ASSERT_OK(faccessat(t.fd, "mine/tasks", F_OK, 0));

        /* A state that names something else is refused, never followed. */
        free(s.rdt_group);
        s.rdt_group = strdup("../etc");
        ASSERT_ERROR_MSG(rdt_destroy(&s, &_e), EBADMSG, "bad resctrl group name");
        free(s.rdt_group);
        free(s.rdt_mon_group);

        /* Without a group there is nothing to do, and update says why it cannot add one. */
        s.rdt_group = s.rdt_mon_group = NULL;
        ASSERT_OK(rdt_join(&s, 1, NULL));
        ASSERT_OK(rdt_destroy(&s, NULL));
        ASSERT_ERROR_MSG(rdt_update(&s, "L3:0=f", NULL, NULL, &_e), EINVAL,
                         "created without linux.intelRdt");
        ASSERT_OK(unsetenv(RDT_ROOT_ENV));
}

TEST(prepare_errors) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF };
        RdtPlan *p = NULL;
        OciIntelRdt cfg = { .set = true };
        char name[16];

        tree_two_socket(&t);
        put(t.fd, "tasks", "");
        ASSERT_OK(setenv(RDT_ROOT_ENV, t.path, 1));
        cfg.clos_id = (char *) "missing";
        ASSERT_ERROR_MSG(rdt_prepare(&cfg, "c1", &p, &_e), ENOENT, "must be created beforehand");
        cfg.clos_id = NULL;
        ASSERT_ERROR_MSG(rdt_prepare(&cfg, "info", &p, &_e), EINVAL,
                         "container id 'info' cannot name a resctrl group");
        cfg.clos_id = (char *) "tasks";
        cfg.l3_cache_schema = (char *) "L3:0=f";
        ASSERT_ERROR_MSG(rdt_prepare(&cfg, "c1", &p, &_e), ENOTDIR,
                         "'tasks' is a resctrl file, not a group");
        cfg.clos_id = NULL;
        for (int i = 1; i < 8; i++) { /* MB has 8 CLOSIDs in this tree */
                snprintf(name, sizeof(name), "g%d", i);
                put(t.fd, name, NULL);
        }
        ASSERT_ERROR_MSG(rdt_prepare(&cfg, "c1", &p, &_e), ENOSPC, "8 groups (the root included) use all 8");
        ASSERT_OK(setenv(RDT_ROOT_ENV, "/nonexistent-resctrl", 1));
        ASSERT_ERROR_MSG(rdt_prepare(&cfg, "c1", &p, &_e), ENOENT,
                         "linux.intelRdt: " RDT_ROOT_ENV "='/nonexistent");
        ASSERT_NULL(p);
        ASSERT_OK(unsetenv(RDT_ROOT_ENV));
}

TEST(stats_json) {
        _cleanup_(tree_done) Tree t = { .fd = -EBADF };
        ContainerState s = { .id = (char *) "c1", .rdt_group = (char *) "c1",
                             .rdt_mon_group = (char *) "c1" };
        struct json_object *o = NULL;

        tree_two_socket(&t);
        put(t.fd, "c1/schemata", "L3:0=ffff0;1=3ff\nMB:0=50;1=100\n");
        put(t.fd, "c1/mon_groups/c1/mon_data/mon_L3_01/llc_occupancy", "1001\n");
        put(t.fd, "c1/mon_groups/c1/mon_data/mon_L3_01/mbm_total_bytes", "1002\n");
        put(t.fd, "c1/mon_groups/c1/mon_data/mon_L3_01/mbm_local_bytes", "1003\n");
        put(t.fd, "c1/mon_groups/c1/mon_data/mon_L3_00/llc_occupancy", "1\n");
        put(t.fd, "c1/mon_groups/c1/mon_data/mon_L3_00/mbm_total_bytes", "Unavailable\n");
        put(t.fd, "c1/mon_groups/c1/mon_data/mon_L3_00/mbm_local_bytes", "3\n");
        ASSERT_OK(setenv(RDT_ROOT_ENV, t.path, 1));

        ASSERT_OK(rdt_stats_json(&s, &o, NULL));
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                     "{\"l3_cache_info\":{\"cbm_mask\":\"fffff\",\"min_cbm_bits\":1,\"num_closids\":16},"
                     "\"l3_cache_schema_root\":\"L3:0=fffff;1=fffff\","
                     "\"l3_cache_schema\":\"L3:0=ffff0;1=3ff\","
                     "\"mem_bw_info\":{\"bandwidth_gran\":10,\"delay_linear\":1,\"min_bandwidth\":10,"
                     "\"num_closids\":8},\"mem_bw_schema_root\":\"MB:0=100;1=100\","
                     "\"mem_bw_schema\":\"MB:0=50;1=100\","
                     "\"schemata\":[\"L3:0=ffff0;1=3ff\",\"MB:0=50;1=100\"],"
                     "\"mbm_stats\":[{\"mbm_total_bytes\":0,\"mbm_local_bytes\":3},"
                     "{\"mbm_total_bytes\":1002,\"mbm_local_bytes\":1003}],"
                     "\"cmt_stats\":[{\"llc_occupancy\":1},{\"llc_occupancy\":1001}]}");
        json_object_put(o);

        /* No group: nothing to report. */
        s.rdt_group = s.rdt_mon_group = NULL;
        ASSERT_OK(rdt_stats_json(&s, &o, NULL));
        ASSERT_NULL(o);
        ASSERT_OK(unsetenv(RDT_ROOT_ENV));
}

DEFINE_TEST_MAIN();
