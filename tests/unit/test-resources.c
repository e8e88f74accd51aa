/* SPDX-License-Identifier: Apache-2.0 */
#include <sys/socket.h>

#include <systemd/sd-bus.h>

#include "config.h"
#include "resources.h"
#include "strv.h"
#include "tests.h"
#include "unit-property.h"

#define INF "18446744073709551615"

/* JSON with ' for ", to keep the cases readable. */
static OciResources *parse(const char *json_q) {
        _cleanup_free_ char *json = strdup(json_q);
        SysrunError e = SYSRUN_ERROR_NULL;
        OciResources *r = NULL;

        ASSERT_NOT_NULL(json);
        for (char *p = json; *p; p++)
                if (*p == '\'')
                        *p = '"';
        if (oci_resources_parse_string(json, &r, &e) < 0)
                fprintf(stderr, "parse error: %s\n", e.msg);
        ASSERT_NOT_NULL(r);
        return r;
}

/* The plan as text: "Name=value;…" for properties and "[file=value]" for sub-cgroup writes. */
static char *plan_text(const ResourcePlan *p) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        for (size_t i = 0; i < p->properties.n; i++) {
                _cleanup_free_ char *v = unit_property_to_string(&p->properties.items[i]);
                ASSERT_NOT_NULL(v);
                fprintf(f, "%s%s=%s", i ? ";" : "", p->properties.items[i].name, v);
        }
        for (size_t i = 0; i < p->n_writes; i++)
                fprintf(f, "[%s=%s]", p->writes[i].file, p->writes[i].value);
        ASSERT_TRUE(fclose(f) == 0);
        return buf;
}

static void check_plan_full(const char *json_q, unsigned version, ResourceMode mode, const char *expected) {
        _cleanup_(oci_resources_freep) OciResources *r = parse(json_q);
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        _cleanup_free_ char *text = NULL;
        ResourceInput in = { .resources = r, .systemd_version = version, .mode = mode };
        int ret = resources_plan(&in, &plan, &e);

        if (ret < 0)
                fprintf(stderr, "%s: unexpected error: %s\n", json_q, e.msg);
        ASSERT_OK(ret);
        text = plan_text(&plan);
        if (!streq(text, expected))
                fprintf(stderr, "%s\n", json_q);
        ASSERT_STREQ(text, expected);
}

static void check_plan(const char *json_q, const char *expected) {
        check_plan_full(json_q, 0, RESOURCE_MODE_CREATE, expected);
}

static void check_plan_error(const char *json_q, int err, const char *msg) {
        _cleanup_(oci_resources_freep) OciResources *r = parse(json_q);
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        ResourceInput in = { .resources = r, .mode = RESOURCE_MODE_CREATE };

        ASSERT_ERROR(resources_plan(&in, &plan, &e), err);
        ASSERT_STREQ(e.msg, msg);
        sysrun_error_done(&e);
}

TEST(cpu_shares_to_weight) {
        /* The fixed points, exactly. */
        ASSERT_EQ_U64(cpu_shares_to_weight(2), 1);
        ASSERT_EQ_U64(cpu_shares_to_weight(1024), 100);
        ASSERT_EQ_U64(cpu_shares_to_weight(262144), 10000);
        /* Unset, clamps, and points in between (ceil of the formula). */
        ASSERT_EQ_U64(cpu_shares_to_weight(0), 0);
        ASSERT_EQ_U64(cpu_shares_to_weight(1), 1);
        ASSERT_EQ_U64(cpu_shares_to_weight(3), 2);
        ASSERT_EQ_U64(cpu_shares_to_weight(10), 4);
        ASSERT_EQ_U64(cpu_shares_to_weight(100), 17);
        ASSERT_EQ_U64(cpu_shares_to_weight(512), 59);
        ASSERT_EQ_U64(cpu_shares_to_weight(1023), 100);
        ASSERT_EQ_U64(cpu_shares_to_weight(1025), 101);
        ASSERT_EQ_U64(cpu_shares_to_weight(2048), 174);
        ASSERT_EQ_U64(cpu_shares_to_weight(10000), 627);
        ASSERT_EQ_U64(cpu_shares_to_weight(100000), 4340);
        ASSERT_EQ_U64(cpu_shares_to_weight(262143), 10000);
        ASSERT_EQ_U64(cpu_shares_to_weight(1000000), 10000);
}

TEST(memory_swap_to_max) {
        uint64_t v = 0;

        ASSERT_EQ(memory_swap_to_max(300, 100, &v), 1);
        ASSERT_EQ_U64(v, 200);
        ASSERT_EQ(memory_swap_to_max(100, 100, &v), 1); /* memory+swap = memory: no swap */
        ASSERT_EQ_U64(v, 0);
        ASSERT_EQ(memory_swap_to_max(-1, 100, &v), 1);
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_EQ(memory_swap_to_max(0, -1, &v), 1); /* unlimited memory, no swap given */
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_EQ(memory_swap_to_max(0, 100, &v), 0);
        ASSERT_ERROR(memory_swap_to_max(300, 0, &v), EINVAL);
        ASSERT_ERROR(memory_swap_to_max(300, -1, &v), EINVAL);
        ASSERT_ERROR(memory_swap_to_max(100, 300, &v), EINVAL);
        ASSERT_ERROR(memory_swap_to_max(-2, 300, &v), EINVAL);
}

TEST(cpu_quota_to_per_sec) {
        uint64_t v = 0;

        ASSERT_OK(cpu_quota_to_per_sec(12345, 100000, &v));
        ASSERT_EQ_U64(v, 130000); /* 123450 rounded up to whole percent */
        ASSERT_OK(cpu_quota_to_per_sec(50000, 100000, &v));
        ASSERT_EQ_U64(v, 500000);
        ASSERT_OK(cpu_quota_to_per_sec(50000, 0, &v)); /* default period */
        ASSERT_EQ_U64(v, 500000);
        ASSERT_OK(cpu_quota_to_per_sec(20000, 50000, &v));
        ASSERT_EQ_U64(v, 400000);
        ASSERT_OK(cpu_quota_to_per_sec(1, 1000000, &v));
        ASSERT_EQ_U64(v, 10000);
        ASSERT_OK(cpu_quota_to_per_sec(-1, 100000, &v));
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_OK(cpu_quota_to_per_sec(0, 100000, &v));
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_ERROR(cpu_quota_to_per_sec(INT64_MAX, 100000, &v), ERANGE);
}

static void check_mask(const char *list, const uint8_t *expected, size_t n) {
        _cleanup_free_ uint8_t *mask = NULL;
        size_t size = 0;

        ASSERT_OK(cpu_list_to_mask(list, &mask, &size));
        ASSERT_EQ(size, n);
        ASSERT_TRUE(memcmp(mask, expected, n) == 0);
}

TEST(cpu_list_to_mask) {
        uint8_t *mask = NULL;
        size_t size = 0;

        check_mask("0-3,7", (const uint8_t[]){ 0x8f }, 1);
        check_mask("8", (const uint8_t[]){ 0x00, 0x01 }, 2);
        check_mask("0", (const uint8_t[]){ 0x01 }, 1);
        check_mask("0,2-3", (const uint8_t[]){ 0x0d }, 1);
        check_mask("1,1", (const uint8_t[]){ 0x02 }, 1);
        check_mask(" 0-1 \n", (const uint8_t[]){ 0x03 }, 1);
        check_mask("3,0-15", (const uint8_t[]){ 0xff, 0xff }, 2);
        ASSERT_ERROR(cpu_list_to_mask("", &mask, &size), EINVAL);
        ASSERT_ERROR(cpu_list_to_mask("3-1", &mask, &size), EINVAL);
        ASSERT_ERROR(cpu_list_to_mask("1,", &mask, &size), EINVAL);
        ASSERT_ERROR(cpu_list_to_mask("a", &mask, &size), EINVAL);
        ASSERT_ERROR(cpu_list_to_mask("-1", &mask, &size), EINVAL);
        ASSERT_ERROR(cpu_list_to_mask("1048576", &mask, &size), ERANGE);
}

TEST(small_converters) {
        int64_t b = 0;
        uint64_t u = 0;

        ASSERT_EQ_U64(blkio_weight_to_io_weight(10), 2);
        ASSERT_EQ_U64(blkio_weight_to_io_weight(500), 100);
        ASSERT_EQ_U64(blkio_weight_to_io_weight(1000), 200);
        ASSERT_EQ_U64(blkio_weight_to_io_weight(1), 1);
        ASSERT_EQ_U64(pids_limit_to_tasks_max(0), UINT64_MAX);
        ASSERT_EQ_U64(pids_limit_to_tasks_max(-1), UINT64_MAX);
        ASSERT_EQ_U64(pids_limit_to_tasks_max(42), 42);
        ASSERT_OK(unified_parse_max("max", &u));
        ASSERT_EQ_U64(u, UINT64_MAX);
        ASSERT_OK(unified_parse_max("4096", &u));
        ASSERT_EQ_U64(u, 4096);
        ASSERT_ERROR(unified_parse_max("4k", &u), EINVAL);

        ASSERT_OK(parse_ram_bytes("512m", &b));
        ASSERT_EQ(b, 536870912);
        ASSERT_OK(parse_ram_bytes("1g", &b));
        ASSERT_EQ(b, 1073741824);
        ASSERT_OK(parse_ram_bytes("1.5GiB", &b));
        ASSERT_EQ(b, 1610612736);
        ASSERT_OK(parse_ram_bytes("100", &b));
        ASSERT_EQ(b, 100);
        ASSERT_OK(parse_ram_bytes("64 KB", &b));
        ASSERT_EQ(b, 65536);
        ASSERT_OK(parse_ram_bytes("-1", &b));
        ASSERT_EQ(b, -1);
        ASSERT_ERROR(parse_ram_bytes("12x", &b), EINVAL);
        ASSERT_ERROR(parse_ram_bytes("-2", &b), EINVAL);
        ASSERT_ERROR(parse_ram_bytes("", &b), EINVAL);
}

/* One case per row of the table (the walk below checks that none is missing). */
TEST(plan_rows) {
        check_plan("{'memory':{'limit':104857600}}", "MemoryMax=104857600");
        check_plan("{'memory':{'limit':-1}}", "MemoryMax=" INF ";MemorySwapMax=" INF);
        check_plan("{'memory':{'limit':0}}", "");
        check_plan("{'memory':{'reservation':52428800}}", "MemoryLow=52428800");
        check_plan("{'memory':{'limit':100,'swap':300}}", "MemoryMax=100;MemorySwapMax=200");
        check_plan("{'memory':{'limit':100,'swap':100}}", "MemoryMax=100;MemorySwapMax=0");
        check_plan("{'memory':{'limit':100,'swap':-1}}", "MemoryMax=100;MemorySwapMax=" INF);
        check_plan("{'memory':{'kernel':1000000,'kernelTCP':1000000}}", "");
        check_plan("{'memory':{'disableOOMKiller':false,'useHierarchy':true}}", "");
        check_plan("{'cpu':{'shares':1024}}", "CPUWeight=100");
        check_plan("{'cpu':{'shares':512,'idle':1}}", "CPUWeight=0");
        check_plan("{'cpu':{'idle':0}}", "CPUWeight=" INF);
        check_plan("{'cpu':{'shares':2,'idle':0}}", "CPUWeight=1");
        check_plan("{'cpu':{'quota':12345,'period':100000}}",
                   "CPUQuotaPerSecUSec=130000;CPUQuotaPeriodUSec=100000");
        check_plan("{'cpu':{'quota':50000}}", "CPUQuotaPerSecUSec=500000");
        check_plan("{'cpu':{'quota':-1}}", "CPUQuotaPerSecUSec=" INF);
        check_plan("{'cpu':{'period':50000}}", "CPUQuotaPerSecUSec=" INF ";CPUQuotaPeriodUSec=50000");
        check_plan("{'cpu':{'burst':1000}}", "[cpu.max.burst=1000]");
        check_plan("{'cpu':{'realtimeRuntime':950000,'realtimePeriod':1000000}}",
                   "[cpu.rt_runtime_us=950000][cpu.rt_period_us=1000000]");
        check_plan("{'cpu':{'cpus':'0-3,7','mems':'0'}}", "AllowedCPUs=8f;AllowedMemoryNodes=01");
        check_plan("{'cpu':{'cpus':'8'}}", "AllowedCPUs=00 01");
        check_plan("{'pids':{'limit':0}}", "TasksMax=" INF); /* runc 1.1, docker: 0 is "max" */
        check_plan("{'pids':{'limit':-1}}", "TasksMax=" INF);
        check_plan("{'pids':{'limit':42}}", "TasksMax=42");
        check_plan("{'blockIO':{'weight':500}}", "IOWeight=100");
        check_plan("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'weight':1000},{'major':8,'minor':16,'weight':10}]}}",
                   "IODeviceWeight=;IODeviceWeight=/dev/block/8:0=200 /dev/block/8:16=2");
        check_plan("{'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}]}}",
                   "IOReadBandwidthMax=;IOReadBandwidthMax=/dev/block/8:0=1048576");
        check_plan("{'blockIO':{'throttleWriteBpsDevice':[{'major':8,'minor':0,'rate':2097152}]}}",
                   "IOWriteBandwidthMax=;IOWriteBandwidthMax=/dev/block/8:0=2097152");
        check_plan("{'blockIO':{'throttleReadIOPSDevice':[{'major':8,'minor':0,'rate':100}]}}",
                   "IOReadIOPSMax=;IOReadIOPSMax=/dev/block/8:0=100");
        check_plan("{'blockIO':{'throttleWriteIOPSDevice':[{'major':253,'minor':1,'rate':0}]}}",
                   "IOWriteIOPSMax=;IOWriteIOPSMax=/dev/block/253:1=" INF);
        check_plan("{'hugepageLimits':[{'pageSize':'2MB','limit':1048576},{'pageSize':'1GB','limit':0}]}",
                   "[hugetlb.2MB.max=1048576][hugetlb.1GB.max=0]");
        check_plan("{'rdma':{'mlx5_1':{'hcaHandles':3}}}", "[rdma.max=mlx5_1 hca_handle=3 hca_object=max]");
        check_plan("{'unified':{'memory.min':'1024','memory.low':'2048','memory.high':'max','memory.max':'4096',"
                   "'memory.swap.max':'0'}}",
                   "MemoryMin=1024;MemoryLow=2048;MemoryHigh=" INF ";MemoryMax=4096;MemorySwapMax=0");
        check_plan("{'unified':{'memory.zswap.max':'1000'}}", "MemoryZSwapMax=1000");
        check_plan("{'unified':{'memory.oom.group':'1'}}", "OOMPolicy=kill");
        check_plan("{'unified':{'memory.oom.group':'0'}}", "OOMPolicy=continue");
        check_plan("{'unified':{'cpu.max':'50000 100000'}}",
                   "CPUQuotaPerSecUSec=500000;CPUQuotaPeriodUSec=100000");
        check_plan("{'unified':{'cpu.max':'max'}}", "CPUQuotaPerSecUSec=" INF);
        check_plan("{'unified':{'cpu.weight':'200'}}", "CPUWeight=200");
        check_plan("{'unified':{'cpuset.cpus':'1','cpuset.mems':'0'}}",
                   "AllowedCPUs=02;AllowedMemoryNodes=01");
        check_plan("{'unified':{'pids.max':'max'}}", "TasksMax=" INF);
        check_plan("{'unified':{'io.weight':'default 300'}}", "IOWeight=300");
        check_plan("{'unified':{'hugetlb.1GB.max':'0','memory.oom.group':'1'}}",
                   "OOMPolicy=kill[hugetlb.1GB.max=0]");
}

TEST(plan_errors) {
        check_plan_error(
                        "{'memory':{'swap':300}}", EINVAL,
                        "linux.resources.memory.swap: a swap limit needs a memory limit (memory.limit)");
        check_plan_error(
                        "{'memory':{'limit':300,'swap':100}}", EINVAL,
                        "linux.resources.memory.swap: memory+swap (100) must not be below memory.limit (300)");
        check_plan_error(
                        "{'memory':{'limit':-5}}", EINVAL,
                        "linux.resources.memory.limit: expected -1 (unlimited) or a byte count, got -5");
        check_plan_error(
                        "{'memory':{'swappiness':60}}", EOPNOTSUPP,
                        "linux.resources.memory.swappiness: not supported with cgroup v2 (it exists in cgroup v1 only)");
        check_plan_error(
                        "{'memory':{'disableOOMKiller':true}}", EOPNOTSUPP,
                        "linux.resources.memory.disableOOMKiller: not supported with cgroup v2 (it exists in cgroup "
                        "v1 only)");
        check_plan_error(
                        "{'blockIO':{'leafWeight':100}}", EOPNOTSUPP,
                        "linux.resources.blockIO.leafWeight: not supported with cgroup v2 (it exists in cgroup v1 "
                        "only)");
        check_plan_error(
                        "{'blockIO':{'weightDevice':[{'major':8,'minor':0,'leafWeight':10}]}}", EOPNOTSUPP,
                        "linux.resources.blockIO.weightDevice[0].leafWeight: not supported with cgroup v2 (v1 only)");
        check_plan_error(
                        "{'network':{'classID':1048577}}", EOPNOTSUPP,
                        "linux.resources.network.classID: not supported with cgroup v2 (it exists in cgroup v1 only)");
        check_plan_error(
                        "{'network':{'priorities':[{'name':'eth0','priority':500}]}}", EOPNOTSUPP,
                        "linux.resources.network.priorities: not supported with cgroup v2 (it exists in cgroup v1 "
                        "only)");
        check_plan_error(
                        "{'cpu':{'cpus':'3-1'}}", EINVAL,
                        "linux.resources.cpu.cpus: invalid list '3-1': expected e.g. \"0-3,7\"");
        check_plan_error("{'cpu':{'idle':2}}", EINVAL, "linux.resources.cpu.idle: expected 0 or 1, got 2");
        check_plan_error(
                        "{'cpu':{'period':10}}", EINVAL,
                        "linux.resources.cpu.period: expected 1000 to 1000000 (µs), got 10");
        check_plan_error(
                        "{'unified':{'cpu.max':'fast'}}", EINVAL,
                        "linux.resources.unified[\"cpu.max\"]: expected \"max\" or \"QUOTA [PERIOD]\", got 'fast'");
        check_plan_error(
                        "{'unified':{'memory.oom.group':'yes'}}", EINVAL,
                        "linux.resources.unified[\"memory.oom.group\"]: expected \"0\" or \"1\", got 'yes'");
        check_plan_error(
                        "{'unified':{'cgroup.procs':'1'}}", EINVAL,
                        "linux.resources.unified[\"cgroup.procs\"]: not a cgroup v2 interface file of a controller");
        check_plan_error(
                        "{'unified':{'../x.max':'1'}}", EINVAL,
                        "linux.resources.unified[\"../x.max\"]: not a cgroup v2 interface file of a controller");
}

TEST(plan_warnings) {
        _cleanup_(oci_resources_freep) OciResources *r = parse("{'memory':{'kernel':1000000}}");
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        ResourceInput in = { .resources = r };

        ASSERT_OK(resources_plan(&in, &plan, NULL));
        ASSERT_EQ(strv_length(plan.warnings), 1);
        ASSERT_STREQ(plan.warnings[0],
                     "linux.resources.memory.kernel: ignored (kernel memory limits are deprecated and not available in "
                     "cgroup v2)");
}

/* A systemd too old for a property: the field goes to the sub-cgroup instead, or is an error. */
TEST(plan_version_gates) {
        check_plan_full("{'cpu':{'cpus':'0-1','mems':'0'}}", 243, RESOURCE_MODE_CREATE,
                        "[cpuset.cpus=0-1][cpuset.mems=0]");
        check_plan_full("{'cpu':{'cpus':'0-1'}}", 244, RESOURCE_MODE_CREATE, "AllowedCPUs=03");
        check_plan_full("{'cpu':{'quota':12345,'period':50000}}", 241, RESOURCE_MODE_CREATE,
                        "CPUQuotaPerSecUSec=250000[cpu.max=12500 50000]");
        check_plan_full("{'cpu':{'idle':1}}", 251, RESOURCE_MODE_CREATE, "[cpu.idle=1]");
        check_plan_full("{'cpu':{'idle':1}}", 252, RESOURCE_MODE_CREATE, "CPUWeight=0");
        check_plan_full("{'unified':{'memory.zswap.max':'1000'}}", 252, RESOURCE_MODE_CREATE,
                        "[memory.zswap.max=1000]");
        check_plan_full("{'unified':{'memory.oom.group':'1'}}", 251, RESOURCE_MODE_CREATE,
                        "[memory.oom.group=1]");
        check_plan_full("{'unified':{'memory.oom.group':'1'}}", 252, RESOURCE_MODE_CREATE, "OOMPolicy=kill");
        /* systemd keeps OOMPolicy= of a running scope: update writes memory.oom.group. */
        check_plan_full("{'unified':{'memory.oom.group':'1'}}", 252, RESOURCE_MODE_UPDATE,
                        "[memory.oom.group=1]");

        _cleanup_(oci_resources_freep) OciResources *r = parse("{'memory':{'limit':1000}}");
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        SysrunError e = SYSRUN_ERROR_NULL;
        ResourceInput in = { .resources = r, .systemd_version = 230 };
        ASSERT_ERROR(resources_plan(&in, &plan, &e), EOPNOTSUPP);
        ASSERT_STREQ(e.msg,
                     "linux.resources.memory.limit: needs systemd 231 or newer for MemoryMax= (this is systemd 230)");
        sysrun_error_done(&e);
}

TEST(table_walk) {
        /* Every row is a distinct (field, property) pair, and every field is a path the spec has. */
        static const char *const spec_fields[] = {
                "linux.resources.memory.limit",
                "linux.resources.memory.reservation",
                "linux.resources.memory.swap",
                "linux.resources.memory.kernel",
                "linux.resources.memory.kernelTCP",
                "linux.resources.memory.swappiness",
                "linux.resources.memory.disableOOMKiller",
                "linux.resources.cpu.shares",
                "linux.resources.cpu.idle",
                "linux.resources.cpu.quota",
                "linux.resources.cpu.period",
                "linux.resources.cpu.burst",
                "linux.resources.cpu.realtimeRuntime",
                "linux.resources.cpu.realtimePeriod",
                "linux.resources.cpu.cpus",
                "linux.resources.cpu.mems",
                "linux.resources.pids.limit",
                "linux.resources.blockIO.weight",
                "linux.resources.blockIO.leafWeight",
                "linux.resources.blockIO.weightDevice",
                "linux.resources.blockIO.throttleReadBpsDevice",
                "linux.resources.blockIO.throttleWriteBpsDevice",
                "linux.resources.blockIO.throttleReadIOPSDevice",
                "linux.resources.blockIO.throttleWriteIOPSDevice",
                "linux.resources.devices",
                "linux.resources.hugepageLimits",
                "linux.resources.network.classID",
                "linux.resources.network.priorities",
                "linux.resources.rdma",
                "linux.resources.unified",
        };
        size_t n;
        const ResourceRow *rows = resource_table(&n);

        ASSERT_TRUE(n >= 40);
        for (size_t i = 0; i < n; i++) {
                bool known = startswith(rows[i].field, "linux.resources.unified[\"") != NULL;
                for (size_t j = 0; j < ELEMENTSOF(spec_fields); j++)
                        known = known || streq(rows[i].field, spec_fields[j]);
                if (!known)
                        fprintf(stderr, "row %zu: unknown field %s\n", i, rows[i].field);
                ASSERT_TRUE(known);
                ASSERT_TRUE(rows[i].property ? rows[i].value != NULL && rows[i].signature != NULL :
                                               rows[i].write != NULL);
                for (size_t j = 0; j < i; j++)
                        ASSERT_FALSE(streq(rows[i].field, rows[j].field) &&
                                     streq_ptr(rows[i].property, rows[j].property));
        }
        ASSERT_TRUE(resources_unified_key_is_mapped("memory.max"));
        ASSERT_TRUE(resources_unified_key_is_mapped("cpu.max"));
        ASSERT_FALSE(resources_unified_key_is_mapped("hugetlb.2MB.max"));
}

static OciDeviceRule rule(bool allow, char type, int64_t major, int64_t minor, const char *access) {
        return (OciDeviceRule){
                .allow = allow, .type = type, .major = major, .minor = minor, .access = (char *) access
        };
}

static char *allow_text(const OciDeviceRule *rules, size_t n, bool with_defaults, int *ret) {
        size_t nd = 0, np = 0, bad = SIZE_MAX;
        const OciDeviceRule *d = with_defaults ? default_device_rules(&nd) : NULL;
        UnitPropertyPair *pairs = NULL;
        bool all = false;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        *ret = device_rules_to_allow_list(rules, n, d, nd, &all, &pairs, &np, &bad);
        if (*ret < 0)
                return bad == SIZE_MAX ? strdup("?") : (asprintf(&buf, "bad %zu", bad) < 0 ? NULL : buf);
        f = open_memstream(&buf, &size);
        ASSERT_NOT_NULL(f);
        fputs(all ? "auto" : "strict", f);
        for (size_t i = 0; i < np; i++) {
                fprintf(f, " %s:%s", pairs[i].path, pairs[i].text);
                free(pairs[i].path);
                free(pairs[i].text);
        }
        free(pairs);
        ASSERT_TRUE(fclose(f) == 0);
        return buf;
}

TEST(device_rules) {
        _cleanup_free_ char *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL, *t5 = NULL, *t6 = NULL, *t7 = NULL;
        int r;

        /* runc spec's default: deny all, then runc's defaults. */
        OciDeviceRule deny_all[] = { rule(false, 'a', -1, -1, "rwm") };
        t1 = allow_text(deny_all, 1, true, &r);
        ASSERT_OK(r);
        ASSERT_STREQ(t1,
                     "strict char-*:m block-*:m /dev/char/1:3:rwm /dev/char/1:8:rwm /dev/char/1:7:rwm "
                     "/dev/char/5:0:rwm /dev/char/1:5:rwm /dev/char/1:9:rwm /dev/char/5:1:rwm char-136:rwm "
                     "/dev/char/5:2:rwm");

        /* Allow everything. */
        OciDeviceRule allow_all[] = { rule(true, 'a', -1, -1, "rwm"), rule(true, 'c', 1, 3, "r") };
        t2 = allow_text(allow_all, 2, false, &r);
        ASSERT_OK(r);
        ASSERT_STREQ(t2, "auto");

        /* A deny that removes an exact allow, and access merging. */
        OciDeviceRule exact[] = { rule(true, 'c', 10, 200, "r"), rule(true, 'c', 10, 200, "w"),
                                  rule(true, 'b', 8, 0, "rwm"), rule(false, 'b', 8, 0, "w"),
                                  rule(false, 'c', 4, -1, "rwm") };
        t3 = allow_text(exact, 5, false, &r);
        ASSERT_OK(r);
        ASSERT_STREQ(t3, "strict /dev/char/10:200:rw /dev/block/8:0:rm");

        /* A broader deny removes narrower allows. */
        OciDeviceRule broad[] = { rule(true, 'c', 1, 3, "rwm"), rule(false, 'c', -1, -1, "rwm") };
        t4 = allow_text(broad, 2, false, &r);
        ASSERT_OK(r);
        ASSERT_STREQ(t4, "strict");

        /* A hole in a broader allow cannot be an allow-list. */
        OciDeviceRule hole[] = { rule(true, 'c', 136, -1, "rwm"), rule(false, 'c', 136, 2, "rwm") };
        t5 = allow_text(hole, 2, false, &r);
        ASSERT_ERROR(r, EOPNOTSUPP);
        ASSERT_STREQ(t5, "bad 1");

        /* "*:3" has no systemd pattern; a deny after allow-all is a deny list. */
        OciDeviceRule star_minor[] = { rule(true, 'c', -1, 3, "r") };
        t6 = allow_text(star_minor, 1, false, &r);
        ASSERT_ERROR(r, EOPNOTSUPP);
        OciDeviceRule deny_list[] = { rule(true, 'a', -1, -1, "rwm"), rule(false, 'c', 1, 3, "rwm") };
        t7 = allow_text(deny_list, 2, false, &r);
        ASSERT_ERROR(r, EOPNOTSUPP);
        ASSERT_STREQ(t7, "bad 1");
}

TEST(plan_devices) {
        /* docker run --device /dev/fuse:r: docker's rules end with the caller's one, "r" */
        _cleanup_(oci_resources_freep) OciResources *r = parse(
                        "{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':10,'minor':229,'access':'r'},"
                        "{'allow':true,'type':'b','major':8,'minor':0,'access':'rw'}]}");
        _cleanup_(resource_plan_done) ResourcePlan plan = {}, update = {};
        _cleanup_free_ char *text = NULL;
        SysrunError e = SYSRUN_ERROR_NULL;
        ResourceInput in = { .resources = r };

        /* The rules keep their modes: linux.devices (no longer an input here) adds nothing. */
        ASSERT_OK(resources_plan(&in, &plan, &e));
        text = plan_text(&plan);
        ASSERT_STREQ(text, "DevicePolicy=strict;DeviceAllow=;DeviceAllow=/dev/char/10:229=r /dev/block/8:0=rw");

        /* runc does not touch devices on update. */
        in.mode = RESOURCE_MODE_UPDATE;
        ASSERT_OK(resources_plan(&in, &update, &e));
        ASSERT_EQ(update.properties.n, 0);

        /* The error names the rule. */
        _cleanup_(oci_resources_freep) OciResources *bad = parse(
                        "{'devices':[{'allow':true,'type':'c','major':1,'access':'rwm'},{'allow':false,'type':'c','major':1,'minor':3,'access':'rwm'}]}");
        _cleanup_(resource_plan_done) ResourcePlan p2 = {};
        ResourceInput in2 = { .resources = bad, .mode = RESOURCE_MODE_CREATE };
        ASSERT_ERROR(resources_plan(&in2, &p2, &e), EOPNOTSUPP);
        ASSERT_STREQ(e.msg,
                     "linux.resources.devices[1]: cannot be expressed as a systemd DeviceAllow= list (a deny rule "
                     "inside a broader allow, or a \"*:minor\" rule)");
        sysrun_error_done(&e);
}

TEST(device_rules_access) {
        _cleanup_(oci_resources_freep) OciResources *r = parse(
                        "{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':10,'minor':229,'access':'r'},"
                        "{'allow':true,'type':'c','major':10,'access':'w'},{'allow':false,'type':'c','major':10,'minor':200,'access':'w'},"
                        "{'allow':false,'type':'c','major':1,'minor':3,'access':'rwm'}]}");
        _cleanup_(oci_resources_freep) OciResources *all = parse("{'devices':[{'allow':true,'access':'rwm'}]}");
        enum { R = DEVICE_ACCESS_READ, W = DEVICE_ACCESS_WRITE, M = DEVICE_ACCESS_MKNOD };
#define IN(res, d) (&(ResourceInput){ .resources = (res), .default_devices = (d) })

        ASSERT_EQ(device_rules_access(IN(r, false), 'c', 10, 229), R | W); /* "r", then major 10 "w" */
        ASSERT_EQ(device_rules_access(IN(r, false), 'c', 10, 200), 0);
        ASSERT_EQ(device_rules_access(IN(r, false), 'c', 10, 1), W);
        ASSERT_EQ(device_rules_access(IN(r, false), 'b', 10, 229), 0);
        ASSERT_EQ(device_rules_access(IN(r, false), 'c', 1, 3), 0);
        /* runc's defaults come after the rules: /dev/null is theirs again, every node may be made */
        ASSERT_EQ(device_rules_access(IN(r, true), 'c', 1, 3), R | W | M);
        ASSERT_EQ(device_rules_access(IN(r, true), 'c', 10, 200), M);
        ASSERT_EQ(device_rules_access(IN(r, true), 'b', 8, 0), M);
        ASSERT_EQ(device_rules_access(IN(NULL, true), 'c', 136, 4), R | W | M);
        ASSERT_EQ(device_rules_access(IN(NULL, false), 'c', 1, 3), 0);
        ASSERT_EQ(device_rules_access(IN(all, false), 'b', 8, 0), R | W | M);
#undef IN
}

/* A node linux.devices makes itself loses runc's default rule for its path (runc's createDevices):
 * podman's "--device /dev/null:r" (deny all, allow c 1:3 r) stays read-only. */
TEST(device_defaults_for_linux_devices) {
        _cleanup_(oci_resources_freep) OciResources *r = parse(
                        "{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':1,'minor':3,'access':'r'}]}");
        OciDevice devs[] = { { .path = (char *) "/dev/null", .type = 'c', .major = 1, .minor = 3 } };
        OciDevice other[] = { { .path = (char *) "/dev/xnull", .type = 'c', .major = 1, .minor = 3 } };
        enum { R = DEVICE_ACCESS_READ, W = DEVICE_ACCESS_WRITE, M = DEVICE_ACCESS_MKNOD };
        _cleanup_free_ OciDeviceRule *l = NULL;
        size_t n = 0, n_all = 0;

        (void) default_device_rules(&n_all);
        ASSERT_OK(default_device_rules_for(devs, 1, &l, &n));
        ASSERT_EQ(n, n_all - 1);
        for (size_t i = 0; i < n; i++)
                ASSERT_TRUE(!(l[i].type == 'c' && l[i].major == 1 && l[i].minor == 3));
        ASSERT_EQ(device_rules_access(&(ResourceInput){ .resources = r, .default_devices = true, .devices = devs, .n_devices = 1 },
                                      'c', 1, 3),
                  R | M); /* "c *:* m" stays */
        /* the "m" defaults stay, and another path keeps /dev/null's rule */
        ASSERT_EQ(device_rules_access(&(ResourceInput){ .resources = r, .default_devices = true, .devices = devs, .n_devices = 1 },
                                      'c', 1, 5),
                  R | W | M);
        ASSERT_EQ(device_rules_access(&(ResourceInput){ .resources = r, .default_devices = true, .devices = other, .n_devices = 1 },
                                      'c', 1, 3),
                  R | W | M);
}

TEST(merge_current) {
        CurrentResources cur = { .memory_max = 1000,
                                 .memory_swap_max = 500,
                                 .cpu_quota_per_sec_usec = 500000,
                                 .cpu_quota_period_usec = 100000 };
        _cleanup_(oci_resources_freep) OciResources *swap = parse("{'memory':{'swap':3000}}");
        _cleanup_(oci_resources_freep) OciResources *quota = parse("{'cpu':{'quota':20000}}");
        _cleanup_(oci_resources_freep) OciResources *period = parse("{'cpu':{'period':50000}}");
        _cleanup_(oci_resources_freep) OciResources *limit = parse("{'memory':{'limit':2000}}");

        ASSERT_TRUE(resources_need_current(swap));
        resources_merge_current(swap, &cur);
        ASSERT_TRUE(swap->memory.limit.set);
        ASSERT_EQ(swap->memory.limit.value, 1000);

        resources_merge_current(quota, &cur);
        ASSERT_TRUE(quota->cpu.period.set);
        ASSERT_EQ_U64(quota->cpu.period.value, 100000);

        /* 50 % of a 100 ms period is 50000 µs; runc keeps that quota under the new period. */
        resources_merge_current(period, &cur);
        ASSERT_TRUE(period->cpu.quota.set);
        ASSERT_EQ(period->cpu.quota.value, 50000);

        ASSERT_FALSE(resources_need_current(limit));

        cur.memory_max = UINT64_MAX;
        cur.cpu_quota_period_usec = UINT64_MAX;
        cur.cpu_quota_per_sec_usec = UINT64_MAX;
        _cleanup_(oci_resources_freep) OciResources *swap2 = parse("{'memory':{'swap':3000}}");
        _cleanup_(oci_resources_freep) OciResources *period2 = parse("{'cpu':{'period':50000}}");
        resources_merge_current(swap2, &cur);
        ASSERT_EQ(swap2->memory.limit.value, -1);
        resources_merge_current(period2, &cur);
        ASSERT_FALSE(period2->cpu.quota.set);
}

/* A v1 cpu controller: the files hold the exact quota that systemd's rounded per-second figure
 * (560 ms for 500000 of 900000 µs) cannot give back. */
TEST(merge_current_v1_files) {
        CurrentResources cur = { .memory_max = UINT64_MAX,
                                 .cpu_quota_per_sec_usec = 560000,
                                 .cpu_quota_period_usec = 900000,
                                 .cpu_cfs_quota_usec = 500000,
                                 .cpu_cfs_period_usec = 900000 };
        _cleanup_(oci_resources_freep) OciResources *period = parse("{'cpu':{'period':10000}}");
        _cleanup_(oci_resources_freep) OciResources *quota = parse("{'cpu':{'quota':3000}}");
        _cleanup_(oci_resources_freep) OciResources *none = parse("{'cpu':{'period':50000}}");

        resources_merge_current(period, &cur);
        ASSERT_TRUE(period->cpu.quota.set);
        ASSERT_EQ(period->cpu.quota.value, 500000);
        resources_merge_current(quota, &cur);
        ASSERT_EQ_U64(quota->cpu.period.value, 900000);
        /* cfs_quota_us -1: no quota to keep */
        cur.cpu_cfs_quota_usec = -1;
        resources_merge_current(none, &cur);
        ASSERT_FALSE(none->cpu.quota.set);
}

/* The marshalling, without a daemon: a bus on one end of a socketpair can build and seal messages. */
TEST(bus_marshalling) {
        _cleanup_(oci_resources_freep) OciResources *r = parse(
                        "{'memory':{'limit':1048576},'cpu':{'cpus':'0-3,7'},'pids':{'limit':0},"
                        "'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1000}]},"
                        "'devices':[{'allow':false,'access':'rwm'}],'unified':{'memory.oom.group':'1'}}");
        _cleanup_(resource_plan_done) ResourcePlan plan = {};
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        const char *name, *mode, *contents;
        ResourceInput in = { .resources = r };
        size_t i = 0;
        char type;
        int fds[2];

        ASSERT_OK(libsystemd_load(NULL)); /* unit_property_list_append() goes through it */
        ASSERT_OK(resources_plan(&in, &plan, NULL));
        ASSERT_TRUE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
        ASSERT_OK(sd_bus_new(&bus));
        ASSERT_OK(sd_bus_set_fd(bus, fds[0], fds[0]));
        ASSERT_OK(sd_bus_start(bus));
        ASSERT_OK(sd_bus_message_new_method_call(
                        bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                        "org.freedesktop.systemd1.Manager", "StartTransientUnit"));
        ASSERT_OK(sd_bus_message_append(m, "ss", "sysrun-x.scope", "fail"));
        ASSERT_OK(sd_bus_message_open_container(m, 'a', "(sv)"));
        ASSERT_OK(unit_property_list_append(m, &plan.properties));
        ASSERT_OK(sd_bus_message_close_container(m));
        ASSERT_OK(sd_bus_message_append(m, "a(sa(sv))", 0));
        ASSERT_OK(sd_bus_message_seal(m, 1, 0));
        ASSERT_OK(sd_bus_message_rewind(m, 1));

        ASSERT_STREQ(sd_bus_message_get_signature(m, 1), "ssa(sv)a(sa(sv))");
        ASSERT_OK(sd_bus_message_read(m, "ss", &name, &mode));
        ASSERT_STREQ(name, "sysrun-x.scope");
        ASSERT_OK(sd_bus_message_enter_container(m, 'a', "(sv)"));
        while (sd_bus_message_enter_container(m, 'r', "sv") > 0) {
                const UnitProperty *want = &plan.properties.items[i++];

                ASSERT_OK(sd_bus_message_read(m, "s", &name));
                ASSERT_STREQ(name, want->name);
                ASSERT_OK(sd_bus_message_peek_type(m, &type, &contents));
                ASSERT_EQ(type, 'v');
                ASSERT_STREQ(contents, want->signature);
                ASSERT_OK(sd_bus_message_enter_container(m, 'v', contents));
                if (streq(contents, "t")) {
                        uint64_t v;
                        ASSERT_OK(sd_bus_message_read(m, "t", &v));
                        ASSERT_EQ_U64(v, want->u);
                } else if (streq(contents, "s")) {
                        const char *v;
                        ASSERT_OK(sd_bus_message_read(m, "s", &v));
                        ASSERT_STREQ(v, want->s);
                } else if (streq(contents, "ay")) {
                        const void *p;
                        size_t n;
                        ASSERT_OK(sd_bus_message_read_array(m, 'y', &p, &n));
                        ASSERT_EQ(n, want->n_bytes);
                        ASSERT_TRUE(memcmp(p, want->bytes, n) == 0);
                        ASSERT_EQ(((const uint8_t *) p)[0], 0x8f);
                } else if (streq(contents, "a(st)") || streq(contents, "a(ss)")) {
                        size_t k = 0;
                        ASSERT_OK(sd_bus_message_enter_container(m, 'a', contents + 1));
                        for (;;) {
                                const char *path, *text;
                                uint64_t num;
                                int got = contents[3] == 't' ? sd_bus_message_read(m, "(st)", &path, &num) :
                                                               sd_bus_message_read(m, "(ss)", &path, &text);
                                ASSERT_OK(got);
                                if (got == 0)
                                        break;
                                ASSERT_STREQ(path, want->pairs[k].path);
                                if (contents[3] == 't')
                                        ASSERT_EQ_U64(num, want->pairs[k].number);
                                else
                                        ASSERT_STREQ(text, want->pairs[k].text);
                                k++;
                        }
                        ASSERT_EQ(k, want->n_pairs);
                        ASSERT_OK(sd_bus_message_exit_container(m));
                } else
                        ASSERT_TRUE(false);
                ASSERT_OK(sd_bus_message_exit_container(m));
                ASSERT_OK(sd_bus_message_exit_container(m));
        }
        ASSERT_EQ(i, plan.properties.n);
        /* MemoryMax, AllowedCPUs, TasksMax, IOReadBandwidthMax (reset, then the list), DevicePolicy,
         * DeviceAllow (nothing allowed: one empty list), OOMPolicy. */
        ASSERT_EQ(i, 8);
        safe_close(fds[1]);
}

DEFINE_TEST_MAIN();
