/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"
#include "strv.h"
#include "tests.h"

/* n zeroed elements of size (never NULL, so that a count of 0 still has an array). */
static void *zeroed(size_t n, size_t size) {
        void *p = calloc(n ?: 1, size);

        ASSERT_NOT_NULL(p);
        return p;
}

/* A vector of n copies of s (n pairs when pairs: key, value). */
static char **repeat(size_t n, const char *s, bool pairs) {
        size_t len = pairs ? 2 * n : n;
        char **l = zeroed(len + 1, sizeof(char *));

        for (size_t i = 0; i < len; i++)
                ASSERT_NOT_NULL(l[i] = strdup(s));
        return l;
}

static void assert_sizes_ok(const OciConfig *c) {
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_OK(oci_config_check_sizes(c, &e));
        ASSERT_NULL(e.msg);
}

static void assert_sizes_refused(const OciConfig *c, const char *msg) {
        SysrunError e = SYSRUN_ERROR_NULL;

        ASSERT_ERROR(oci_config_check_sizes(c, &e), E2BIG);
        ASSERT_STREQ(e.msg, msg);
        sysrun_error_done(&e);
}

static OciConfig *config_new(void) {
        OciConfig *c = zeroed(1, sizeof(OciConfig));

        c->linux_section = zeroed(1, sizeof(OciLinux));
        return c;
}

TEST(empty_config_is_fine) {
        OciConfig c = {};

        assert_sizes_ok(&c);
}

TEST(mounts) {
        _cleanup_oci_config_ OciConfig *c = config_new();

        c->mounts = zeroed(4097, sizeof(OciMount));
        c->n_mounts = 4096;
        assert_sizes_ok(c);
        c->n_mounts = 4097;
        assert_sizes_refused(c, "mounts: 4097 entries, more than the 4096 sysrun accepts");
}

TEST(id_mappings) {
        _cleanup_oci_config_ OciConfig *c = config_new();
        OciLinux *l = c->linux_section;

        l->uid_mappings = zeroed(341, sizeof(OciIdMapping));
        l->gid_mappings = zeroed(341, sizeof(OciIdMapping));
        l->n_uid_mappings = l->n_gid_mappings = 340;
        assert_sizes_ok(c);
        l->n_gid_mappings = 341;
        assert_sizes_refused(c, "linux.gidMappings: 341 entries, more than the 340 sysrun accepts");
        l->n_uid_mappings = 1000;
        assert_sizes_refused(c, "linux.uidMappings: 1000 entries, more than the 340 sysrun accepts");

        l->n_uid_mappings = l->n_gid_mappings = 0;
        c->mounts = zeroed(2, sizeof(OciMount));
        c->n_mounts = 2;
        c->mounts[1].uid_mappings = zeroed(341, sizeof(OciIdMapping));
        c->mounts[1].n_uid_mappings = 341;
        assert_sizes_refused(c, "mounts[1].uidMappings: 341 entries, more than the 340 sysrun accepts");
}

TEST(hooks) {
        _cleanup_oci_config_ OciConfig *c = config_new();

        c->hooks[HOOK_CREATE_RUNTIME] = zeroed(257, sizeof(OciHook));
        c->n_hooks[HOOK_CREATE_RUNTIME] = 256;
        assert_sizes_ok(c);
        c->n_hooks[HOOK_CREATE_RUNTIME] = 257;
        assert_sizes_refused(c, "hooks.createRuntime: 257 entries, more than the 256 sysrun accepts");
}

TEST(additional_gids) {
        _cleanup_oci_config_ OciConfig *c = config_new();

        c->process = zeroed(1, sizeof(OciProcess));
        c->process->user.additional_gids = zeroed(65537, sizeof(uint32_t));
        c->process->user.n_additional_gids = 65536;
        assert_sizes_ok(c);
        c->process->user.n_additional_gids = 65537;
        assert_sizes_refused(c, "process.user.additionalGids: 65537 entries, more than the 65536 sysrun accepts");
}

TEST(linux_arrays) {
        _cleanup_oci_config_ OciConfig *c = config_new();
        OciLinux *l = c->linux_section;

        l->devices = zeroed(4097, sizeof(OciDevice));
        l->n_devices = 4097;
        assert_sizes_refused(c, "linux.devices: 4097 entries, more than the 4096 sysrun accepts");
        l->n_devices = 4096;
        assert_sizes_ok(c);

        l->resources = zeroed(1, sizeof(OciResources));
        l->resources->devices = zeroed(4097, sizeof(OciDeviceRule));
        l->resources->n_devices = 4097;
        assert_sizes_refused(c, "linux.resources.devices: 4097 entries, more than the 4096 sysrun accepts");
        l->resources->n_devices = 4096;
        l->resources->unified = repeat(4097, "k", true);
        assert_sizes_refused(c, "linux.resources.unified: 4097 entries, more than the 4096 sysrun accepts");
        l->resources->unified = strv_free(l->resources->unified);

        l->masked_paths = repeat(4097, "/proc/kcore", false);
        assert_sizes_refused(c, "linux.maskedPaths: 4097 entries, more than the 4096 sysrun accepts");
        l->masked_paths = strv_free(l->masked_paths);
        l->readonly_paths = repeat(5000, "/proc/sys", false);
        assert_sizes_refused(c, "linux.readonlyPaths: 5000 entries, more than the 4096 sysrun accepts");
        l->readonly_paths = strv_free(l->readonly_paths);
        l->sysctl = repeat(4096, "net.ipv4.ip_forward", true);
        assert_sizes_ok(c);
        l->sysctl = strv_free(l->sysctl);
        l->sysctl = repeat(4097, "net.ipv4.ip_forward", true);
        assert_sizes_refused(c, "linux.sysctl: 4097 entries, more than the 4096 sysrun accepts");
}

TEST(seccomp_rules) {
        _cleanup_oci_config_ OciConfig *c = config_new();
        OciSeccomp *s = zeroed(1, sizeof(OciSeccomp));

        c->linux_section->seccomp = s;
        s->syscalls = zeroed(2, sizeof(OciSeccompSyscall));
        s->n_syscalls = 2;
        /* 4000 names without conditions and 16 names with 6: 4096 rules */
        s->syscalls[0].names = repeat(4000, "getpid", false);
        s->syscalls[1].names = repeat(16, "clone", false);
        s->syscalls[1].args = zeroed(6, sizeof(OciSeccompArg));
        s->syscalls[1].n_args = 6;
        assert_sizes_ok(c);
        s->syscalls[1].n_args = 7;
        assert_sizes_refused(c, "linux.seccomp.syscalls: 4112 rules (names times argument conditions), more than "
                                "the 4096 sysrun accepts");
}

DEFINE_TEST_MAIN()
