/* SPDX-License-Identifier: Apache-2.0 */
#include "unit-property.h"

#include <ctype.h>
#include <math.h>

#include "resources.h"
#include "signals.h"
#include "strv.h"

void unit_property_done(UnitProperty *p) {
        if (!p)
                return;
        free(p->name);
        free(p->field);
        free(p->s);
        free(p->bytes);
        strv_free(p->strv);
        for (size_t i = 0; i < p->n_pairs; i++) {
                free(p->pairs[i].path);
                free(p->pairs[i].text);
        }
        free(p->pairs);
        *p = (UnitProperty){};
}

void unit_property_list_done(UnitPropertyList *l) {
        for (size_t i = 0; i < l->n; i++)
                unit_property_done(&l->items[i]);
        free(l->items);
        *l = (UnitPropertyList){};
}

int unit_property_list_take(UnitPropertyList *l, UnitProperty *p) {
        UnitProperty *n = reallocarray(l->items, l->n + 1, sizeof(UnitProperty));

        if (!n) {
                unit_property_done(p);
                return -ENOMEM;
        }
        l->items = n;
        l->items[l->n++] = *p;
        *p = (UnitProperty){};
        return 0;
}

const UnitProperty *unit_property_list_find(const UnitPropertyList *l, const char *name) {
        for (size_t i = l->n; i > 0; i--)
                if (streq(l->items[i - 1].name, name))
                        return &l->items[i - 1];
        return NULL;
}

int unit_property_init(UnitProperty *ret, const char *name, const char *field, const char *signature) {
        *ret = (UnitProperty){};
        if (strlen(signature) >= sizeof(ret->signature))
                return -EINVAL;
        strcpy(ret->signature, signature);
        ret->name = strdup(name);
        ret->field = field ? strdup(field) : NULL;
        if (!ret->name || (field && !ret->field)) {
                unit_property_done(ret);
                return -ENOMEM;
        }
        return 0;
}

int unit_property_u64(UnitProperty *ret, const char *name, const char *field, uint64_t v) {
        int r = unit_property_init(ret, name, field, "t");

        if (r >= 0)
                ret->u = v;
        return r;
}

int unit_property_bool(UnitProperty *ret, const char *name, const char *field, bool v) {
        int r = unit_property_init(ret, name, field, "b");

        if (r >= 0)
                ret->u = v;
        return r;
}

int unit_property_string(UnitProperty *ret, const char *name, const char *field, const char *v) {
        int r = unit_property_init(ret, name, field, "s");

        if (r < 0)
                return r;
        ret->s = strdup(v);
        if (!ret->s) {
                unit_property_done(ret);
                return -ENOMEM;
        }
        return 0;
}

static int append_value(sd_bus_message *m, const UnitProperty *p) {
        const char *sig = p->signature;
        int r;

        if (streq(sig, "ay"))
                return sym_sd_bus_message_append_array(m, 'y', p->bytes ?: (const void *) "", p->n_bytes);
        if (streq(sig, "as"))
                return sym_sd_bus_message_append_strv(m, p->strv ?: (char *[]){ NULL });
        if (streq(sig, "a(st)") || streq(sig, "a(ss)")) {
                bool st = sig[3] == 't';
                r = sym_sd_bus_message_open_container(m, 'a', st ? "(st)" : "(ss)");
                for (size_t i = 0; r >= 0 && i < p->n_pairs; i++)
                        r = st ? sym_sd_bus_message_append(m, "(st)", p->pairs[i].path, p->pairs[i].number) :
                                 sym_sd_bus_message_append(m, "(ss)", p->pairs[i].path, p->pairs[i].text);
                return r < 0 ? r : sym_sd_bus_message_close_container(m);
        }
        if (strlen(sig) != 1)
                return -EINVAL;
        switch (sig[0]) {
        case 't':
                return sym_sd_bus_message_append_basic(m, 't', &p->u);
        case 'u': {
                uint32_t v = (uint32_t) p->u;
                return sym_sd_bus_message_append_basic(m, 'u', &v);
        }
        case 'q': {
                uint16_t v = (uint16_t) p->u;
                return sym_sd_bus_message_append_basic(m, 'q', &v);
        }
        case 'y': {
                uint8_t v = (uint8_t) p->u;
                return sym_sd_bus_message_append_basic(m, 'y', &v);
        }
        case 'b': {
                int v = p->u != 0;
                return sym_sd_bus_message_append_basic(m, 'b', &v);
        }
        case 'x':
                return sym_sd_bus_message_append_basic(m, 'x', &p->i);
        case 'i': {
                int32_t v = (int32_t) p->i;
                return sym_sd_bus_message_append_basic(m, 'i', &v);
        }
        case 'n': {
                int16_t v = (int16_t) p->i;
                return sym_sd_bus_message_append_basic(m, 'n', &v);
        }
        case 'd':
                return sym_sd_bus_message_append_basic(m, 'd', &p->d);
        case 's':
        case 'o':
        case 'g':
                return sym_sd_bus_message_append_basic(m, sig[0], strempty(p->s));
        default:
                return -EINVAL;
        }
}

int unit_property_append(sd_bus_message *m, const UnitProperty *p) {
        int r;

        r = sym_sd_bus_message_open_container(m, 'r', "sv");
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append_basic(m, 's', p->name);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_open_container(m, 'v', p->signature);
        if (r < 0)
                return r;
        r = append_value(m, p);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_close_container(m);
        if (r < 0)
                return r;
        return sym_sd_bus_message_close_container(m);
}

int unit_property_list_append(sd_bus_message *m, const UnitPropertyList *l) {
        for (size_t i = 0; i < l->n; i++) {
                int r = unit_property_append(m, &l->items[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

char *unit_property_to_string(const UnitProperty *p) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        const char *sig = p->signature;

        if (!f)
                return NULL;
        if (streq(sig, "ay"))
                for (size_t i = 0; i < p->n_bytes; i++)
                        fprintf(f, "%s%02x", i ? " " : "", p->bytes[i]);
        else if (streq(sig, "as"))
                STRV_FOREACH(s, p->strv)
                        fprintf(f, "%s%s", s == p->strv ? "" : " ", *s);
        else if (streq(sig, "a(st)"))
                for (size_t i = 0; i < p->n_pairs; i++)
                        fprintf(f, "%s%s=%" PRIu64, i ? " " : "", p->pairs[i].path, p->pairs[i].number);
        else if (streq(sig, "a(ss)"))
                for (size_t i = 0; i < p->n_pairs; i++)
                        fprintf(f, "%s%s=%s", i ? " " : "", p->pairs[i].path, p->pairs[i].text);
        else if (strchr("tuqy", sig[0]))
                fprintf(f, "%" PRIu64, p->u);
        else if (strchr("xin", sig[0]))
                fprintf(f, "%" PRIi64, p->i);
        else if (sig[0] == 'b')
                fputs(p->u ? "yes" : "no", f);
        else if (sig[0] == 'd')
                fprintf(f, "%g", p->d);
        else
                fputs(strempty(p->s), f);
        if (fclose(f) != 0)
                return NULL;
        return TAKE_PTR(buf);
}

/* What sysrun knows about the type of a property that an annotation may name, so that a bare value
 * is typed the way systemd would type it. */
typedef enum KnownKind {
        KNOWN_PLAIN,  /* parsed by its signature alone */
        KNOWN_BYTES,  /* number with optional K/M/G/T/P/E suffix (1024-based), or "infinity" */
        KNOWN_COUNT,  /* number or "infinity" */
        KNOWN_USEC,   /* microseconds, or a time span with unit ("5s", "100ms") */
        KNOWN_CPUSET, /* "0-3,7" → byte mask */
        KNOWN_SIGNAL, /* a number, or a name as systemd takes it ("SIGKILL", "KILL") */
} KnownKind;

typedef struct KnownProperty {
        const char *name;
        const char *signature;
        KnownKind kind;
} KnownProperty;

static const KnownProperty known_properties[] = {
        /* clang-format off */
        { "MemoryMin",                     "t",  KNOWN_BYTES  },
        { "MemoryLow",                     "t",  KNOWN_BYTES  },
        { "MemoryHigh",                    "t",  KNOWN_BYTES  },
        { "MemoryMax",                     "t",  KNOWN_BYTES  },
        { "MemorySwapMax",                 "t",  KNOWN_BYTES  },
        { "MemoryZSwapMax",                "t",  KNOWN_BYTES  },
        { "MemoryLimit",                   "t",  KNOWN_BYTES  },
        { "DefaultMemoryLow",              "t",  KNOWN_BYTES  },
        { "DefaultMemoryMin",              "t",  KNOWN_BYTES  },
        { "TasksMax",                      "t",  KNOWN_COUNT  },
        { "CPUWeight",                     "t",  KNOWN_COUNT  },
        { "StartupCPUWeight",              "t",  KNOWN_COUNT  },
        { "IOWeight",                      "t",  KNOWN_COUNT  },
        { "StartupIOWeight",               "t",  KNOWN_COUNT  },
        { "CPUShares",                     "t",  KNOWN_COUNT  },
        { "StartupCPUShares",              "t",  KNOWN_COUNT  },
        { "BlockIOWeight",                 "t",  KNOWN_COUNT  },
        { "CPUQuotaPerSecUSec",            "t",  KNOWN_USEC   },
        { "CPUQuotaPeriodUSec",            "t",  KNOWN_USEC   },
        { "RuntimeMaxUSec",                "t",  KNOWN_USEC   },
        { "RuntimeRandomizedExtraUSec",    "t",  KNOWN_USEC   },
        { "TimeoutStopUSec",               "t",  KNOWN_USEC   },
        { "JobTimeoutUSec",                "t",  KNOWN_USEC   },
        { "JobRunningTimeoutUSec",         "t",  KNOWN_USEC   },
        { "ManagedOOMMemoryPressureLimit", "u",  KNOWN_COUNT  },
        { "KillSignal",                    "i",  KNOWN_SIGNAL },
        { "FinalKillSignal",               "i",  KNOWN_SIGNAL },
        { "RestartKillSignal",             "i",  KNOWN_SIGNAL },
        { "WatchdogSignal",                "i",  KNOWN_SIGNAL },
        { "CPUAccounting",                 "b",  KNOWN_PLAIN  },
        { "MemoryAccounting",              "b",  KNOWN_PLAIN  },
        { "IOAccounting",                  "b",  KNOWN_PLAIN  },
        { "TasksAccounting",               "b",  KNOWN_PLAIN  },
        { "BlockIOAccounting",             "b",  KNOWN_PLAIN  },
        { "IPAccounting",                  "b",  KNOWN_PLAIN  },
        { "Delegate",                      "b",  KNOWN_PLAIN  },
        { "SendSIGKILL",                   "b",  KNOWN_PLAIN  },
        { "SendSIGHUP",                    "b",  KNOWN_PLAIN  },
        { "DefaultDependencies",           "b",  KNOWN_PLAIN  },
        { "AddRef",                        "b",  KNOWN_PLAIN  },
        { "CollectMode",                   "s",  KNOWN_PLAIN  },
        { "DevicePolicy",                  "s",  KNOWN_PLAIN  },
        { "KillMode",                      "s",  KNOWN_PLAIN  },
        { "OOMPolicy",                     "s",  KNOWN_PLAIN  },
        { "ManagedOOMSwap",                "s",  KNOWN_PLAIN  },
        { "ManagedOOMMemoryPressure",      "s",  KNOWN_PLAIN  },
        { "ManagedOOMPreference",          "s",  KNOWN_PLAIN  },
        { "Description",                   "s",  KNOWN_PLAIN  },
        { "JobTimeoutAction",              "s",  KNOWN_PLAIN  },
        { "DelegateControllers",           "as", KNOWN_PLAIN  },
        { "Wants",                         "as", KNOWN_PLAIN  },
        { "Requires",                      "as", KNOWN_PLAIN  },
        { "BindsTo",                       "as", KNOWN_PLAIN  },
        { "PartOf",                        "as", KNOWN_PLAIN  },
        { "Conflicts",                     "as", KNOWN_PLAIN  },
        { "After",                         "as", KNOWN_PLAIN  },
        { "Before",                        "as", KNOWN_PLAIN  },
        { "AllowedCPUs",                   "ay", KNOWN_CPUSET },
        { "AllowedMemoryNodes",            "ay", KNOWN_CPUSET },
        { "StartupAllowedCPUs",            "ay", KNOWN_CPUSET },
        { "StartupAllowedMemoryNodes",     "ay", KNOWN_CPUSET },
        /* clang-format on */
};

static const KnownProperty *known_property(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(known_properties); i++)
                if (streq(known_properties[i].name, name))
                        return &known_properties[i];
        return NULL;
}

/* GVariant's type keywords ("uint64 5"). */
static const struct {
        const char *keyword;
        const char *signature;
} gvariant_keywords[] = {
        { "boolean", "b" }, { "byte", "y" },   { "int16", "n" },      { "uint16", "q" },
        { "int32", "i" },   { "uint32", "u" }, { "int64", "x" },      { "uint64", "t" },
        { "double", "d" },  { "string", "s" }, { "objectpath", "o" }, { "signature", "g" },
};

static const char *skip_space(const char *s) {
        while (isspace((unsigned char) *s))
                s++;
        return s;
}

/* A copy without trailing whitespace. */
static char *strip_dup(const char *s) {
        size_t n;

        s = skip_space(s);
        n = strlen(s);
        while (n > 0 && isspace((unsigned char) s[n - 1]))
                n--;
        return strndup(s, n);
}

static int parse_u64_plain(const char *s, uint64_t *ret) {
        char *end;
        unsigned long long v;

        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 0);
        if (errno || *end)
                return -ERANGE;
        *ret = v;
        return 0;
}

static int parse_i64_plain(const char *s, int64_t *ret) {
        char *end;
        long long v;

        if (!isdigit((unsigned char) *s) && !((*s == '-' || *s == '+') && isdigit((unsigned char) s[1])))
                return -EINVAL;
        errno = 0;
        v = strtoll(s, &end, 0);
        if (errno || *end)
                return -ERANGE;
        *ret = v;
        return 0;
}

static int parse_bytes(const char *s, uint64_t *ret) {
        static const char suffixes[] = "KMGTPE";
        uint64_t v, mult = 1;
        char *end;
        const char *p;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno)
                return -ERANGE;
        if (*end) {
                p = strchr(suffixes, *end);
                if (!p || end[1])
                        return -EINVAL;
                for (const char *q = suffixes; q <= p; q++)
                        mult *= 1024;
        }
        if (v > UINT64_MAX / mult)
                return -ERANGE;
        *ret = v * mult;
        return 0;
}

/* "5s", "100ms", "1min 30s", or a bare number of microseconds. */
static int parse_usec(const char *s, uint64_t *ret) {
        static const struct {
                const char *unit;
                uint64_t usec;
        } units[] = {
                { "us", 1ULL },          { "usec", 1ULL },        { "ms", 1000ULL },
                { "msec", 1000ULL },     { "s", 1000000ULL },     { "sec", 1000000ULL },
                { "min", 60000000ULL },  { "m", 60000000ULL },    { "h", 3600000000ULL },
                { "hr", 3600000000ULL }, { "d", 86400000000ULL },
        };
        uint64_t total = 0;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (parse_u64_plain(s, ret) >= 0)
                return 0;
        while (*(s = skip_space(s))) {
                char *end;
                double v;
                size_t n;
                bool found = false;

                if (!isdigit((unsigned char) *s))
                        return -EINVAL;
                errno = 0;
                v = strtod(s, &end);
                if (errno || end == s)
                        return -EINVAL;
                s = skip_space(end);
                n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
                for (size_t i = 0; i < ELEMENTSOF(units); i++)
                        if (strlen(units[i].unit) == n && strncmp(s, units[i].unit, n) == 0) {
                                total += (uint64_t) llround(v * (double) units[i].usec);
                                found = true;
                                break;
                        }
                if (!found)
                        return -EINVAL;
                s += n;
        }
        *ret = total;
        return 0;
}

/* 'text' or "text" with backslash escapes; *ret_end after the closing quote. */
static int parse_quoted(const char *s, char **ret, const char **ret_end) {
        _cleanup_free_ char *out = NULL;
        char q = *s;
        size_t n = 0;

        if (q != '\'' && q != '"')
                return -EINVAL;
        out = malloc(strlen(s) + 1);
        if (!out)
                return -ENOMEM;
        for (s++; *s && *s != q; s++) {
                if (*s == '\\' && s[1])
                        s++;
                out[n++] = *s;
        }
        if (*s != q)
                return -EINVAL;
        out[n] = 0;
        *ret = TAKE_PTR(out);
        *ret_end = s + 1;
        return 0;
}

/* [ 'a', "b" ] as a string vector; for known "as" properties also bare words. */
static int parse_strv(const char *s, bool bare_ok, char ***ret) {
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        if (*s != '[') {
                _cleanup_free_ char *copy = strdup(s);
                char *save = NULL;

                if (!bare_ok)
                        return -EINVAL;
                if (!copy)
                        return -ENOMEM;
                for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
                        if (strv_extend(&l, w) < 0)
                                return -ENOMEM;
                *ret = TAKE_PTR(l);
                return 0;
        }
        s = skip_space(s + 1);
        while (*s != ']') {
                char *item = NULL;
                int r = parse_quoted(s, &item, &s);

                if (r < 0)
                        return r;
                if (strv_consume(&l, item) < 0)
                        return -ENOMEM;
                s = skip_space(s);
                if (*s == ',')
                        s = skip_space(s + 1);
                else if (*s != ']')
                        return -EINVAL;
        }
        if (*skip_space(s + 1))
                return -EINVAL;
        *ret = TAKE_PTR(l);
        return 0;
}

static int parse_bool(const char *s, uint64_t *ret) {
        static const char *const yes[] = { "true", "yes", "1", "on" };
        static const char *const no[] = { "false", "no", "0", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (streq(s, yes[i])) {
                        *ret = 1;
                        return 0;
                }
                if (streq(s, no[i])) {
                        *ret = 0;
                        return 0;
                }
        }
        return -EINVAL;
}

/* Parses text (already stripped, type annotation removed) as signature sig into p. */
static int parse_typed(const char *text, const char *sig, KnownKind kind, UnitProperty *p) {
        uint64_t max;
        int64_t min, smax;
        int r;

        if (streq(sig, "as"))
                return parse_strv(text, true, &p->strv);
        if (streq(sig, "ay")) {
                if (kind == KNOWN_CPUSET && *text != '[') {
                        _cleanup_free_ char *list = NULL;
                        const char *end;
                        if (parse_quoted(text, &list, &end) >= 0) {
                                if (*skip_space(end))
                                        return -EINVAL;
                                return cpu_list_to_mask(list, &p->bytes, &p->n_bytes);
                        }
                        return cpu_list_to_mask(text, &p->bytes, &p->n_bytes);
                }
                return -EINVAL;
        }
        if (strlen(sig) != 1)
                return -EOPNOTSUPP;

        switch (sig[0]) {
        case 't':
        case 'u':
        case 'q':
        case 'y':
                max = sig[0] == 't'           ? UINT64_MAX :
                                sig[0] == 'u' ? UINT32_MAX :
                                sig[0] == 'q' ? UINT16_MAX :
                                                UINT8_MAX;
                if (kind == KNOWN_BYTES)
                        r = parse_bytes(text, &p->u);
                else if (kind == KNOWN_USEC)
                        r = parse_usec(text, &p->u);
                else if (kind == KNOWN_COUNT && streq(text, "infinity")) {
                        p->u = max;
                        r = 0;
                } else
                        r = parse_u64_plain(text, &p->u);
                if (r < 0)
                        return r;
                return p->u > max ? -ERANGE : 0;
        case 'x':
        case 'i':
        case 'n':
                min = sig[0] == 'x' ? INT64_MIN : sig[0] == 'i' ? INT32_MIN : INT16_MIN;
                smax = sig[0] == 'x' ? INT64_MAX : sig[0] == 'i' ? INT32_MAX : INT16_MAX;
                if (kind == KNOWN_SIGNAL && !isdigit((unsigned char) *text)) {
                        int sig_no = signal_from_string(text);
                        if (sig_no <= 0)
                                return -EINVAL;
                        p->i = sig_no;
                        return 0;
                }
                r = parse_i64_plain(text, &p->i);
                if (r < 0)
                        return r;
                return p->i < min || p->i > smax ? -ERANGE : 0;
        case 'b':
                return parse_bool(text, &p->u);
        case 'd': {
                char *end;
                errno = 0;
                p->d = strtod(text, &end);
                return errno || end == text || *end ? -EINVAL : 0;
        }
        case 's':
        case 'o':
        case 'g': {
                const char *end;
                r = parse_quoted(text, &p->s, &end);
                if (r == -EINVAL && *text != '\'' && *text != '"' && kind == KNOWN_PLAIN && *text) {
                        /* a known string property: bare text, as in a unit file */
                        p->s = strdup(text);
                        return p->s ? 0 : -ENOMEM;
                }
                if (r < 0)
                        return r;
                return *skip_space(end) ? -EINVAL : 0;
        }
        default:
                return -EOPNOTSUPP;
        }
}

/* Without a type annotation and an unknown name: GVariant's own defaults. */
static const char *guess_signature(const char *text) {
        int64_t i;

        if (streq(text, "true") || streq(text, "false"))
                return "b";
        if (*text == '\'' || *text == '"')
                return "s";
        if (*text == '[')
                return "as";
        if (parse_i64_plain(text, &i) >= 0)
                return "i";
        if (isdigit((unsigned char) *text) ||
            ((*text == '-' || *text == '.') && isdigit((unsigned char) text[1])))
                return "d";
        return NULL;
}

static bool property_name_is_valid(const char *name) {
        if (!isupper((unsigned char) name[0]))
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char) *p))
                        return false;
        return strlen(name) < 256;
}

static bool has_suffix(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && streq(s + a - b, suffix);
}

int unit_property_from_annotation(const char *name, const char *value, UnitProperty *ret, SysrunError *e) {
        _cleanup_(unit_property_done) UnitProperty p = {};
        _cleanup_free_ char *text = NULL, *field = NULL, *usec_name = NULL;
        const KnownProperty *known;
        const char *sig = NULL, *v;
        KnownKind kind = KNOWN_PLAIN;
        int r;

        if (asprintf(&field, "annotations[\"org.systemd.property.%s\"]", name) < 0)
                return -ENOMEM;
        if (!property_name_is_valid(name))
                return sysrun_error_set(
                                e, -EINVAL, "%s: '%s' is not a valid systemd property name", field, name);
        if (streq(name, "PIDs") || streq(name, "PIDFDs"))
                return sysrun_error_set(
                                e, -EINVAL, "%s: %s is set by sysrun and cannot be overridden", field, name);

        text = strip_dup(value);
        if (!text)
                return -ENOMEM;
        v = text;

        /* An explicit type: "@t 5" or "uint64 5". */
        if (*v == '@') {
                size_t n = strcspn(v + 1, " \t");
                char explicit_sig[8];
                if (n == 0 || n >= sizeof(explicit_sig))
                        return sysrun_error_set(
                                        e, -EINVAL, "%s: invalid type annotation in '%s'", field, value);
                memcpy(explicit_sig, v + 1, n);
                explicit_sig[n] = 0;
                v = skip_space(v + 1 + n);
                r = unit_property_init(&p, name, field, explicit_sig);
                if (r < 0)
                        return sysrun_error_set(e, r, "%s: unsupported type '@%s'", field, explicit_sig);
                sig = p.signature;
        } else
                for (size_t i = 0; i < ELEMENTSOF(gvariant_keywords); i++) {
                        const char *rest = startswith(v, gvariant_keywords[i].keyword);
                        if (rest && isspace((unsigned char) *rest)) {
                                sig = gvariant_keywords[i].signature;
                                v = skip_space(rest);
                                break;
                        }
                }

        /* runc's rule: "FooSec" (seconds) is sent as "FooUSec" (microseconds). */
        if (has_suffix(name, "Sec") && !has_suffix(name, "USec") && !has_suffix(name, "NSec")) {
                char *end;
                double secs;

                if (asprintf(&usec_name, "%.*sUSec", (int) (strlen(name) - 3), name) < 0)
                        return -ENOMEM;
                uint64_t usec;

                errno = 0;
                secs = strtod(v, &end);
                if (!errno && end != v && !*end && secs >= 0 && isdigit((unsigned char) *v) &&
                    secs * 1e6 < 18446744073709551615.0)
                        usec = (uint64_t) llround(secs * 1e6);
                /* systemd's own syntax, as systemd-run -p takes it: "30s", "1min 30s", "infinity". */
                else if (!strpbrk(v, "abcdefghijklmnopqrstuvwxyz") || parse_usec(v, &usec) < 0)
                        return sysrun_error_set(
                                        e, -EINVAL,
                                        "%s: expected seconds or a time span (\"30s\", \"1min 30s\", "
                                        "\"infinity\"), got '%s'",
                                        field, value);
                unit_property_done(&p);
                r = unit_property_u64(&p, usec_name, field, usec);
                if (r < 0)
                        return r;
                *ret = p;
                p = (UnitProperty){};
                return 0;
        }

        known = known_property(name);
        if (known) {
                if (sig && !streq(sig, known->signature))
                        return sysrun_error_set(
                                        e, -EINVAL, "%s: %s has type '%s', not '%s'", field, name,
                                        known->signature, sig);
                sig = known->signature;
                kind = known->kind;
        }
        if (!sig)
                sig = guess_signature(v);
        if (!sig)
                return sysrun_error_set(
                                e, -EINVAL,
                                "%s: cannot tell the type of '%s'; write it as GVariant text, e.g. "
                                "\"uint64 5\" or \"'text'\"",
                                field, value);
        if (!p.name) {
                r = unit_property_init(&p, name, field, sig);
                if (r < 0)
                        return sysrun_error_set(e, r, "%s: unsupported type '%s'", field, sig);
        }
        r = parse_typed(v, p.signature, kind, &p);
        if (r == -ENOMEM)
                return r;
        if (r == -EOPNOTSUPP)
                return sysrun_error_set(e, r, "%s: type '%s' is not supported", field, p.signature);
        if (r < 0)
                return sysrun_error_set(e, r, "%s: cannot parse '%s' as '%s'", field, value, p.signature);
        *ret = p;
        p = (UnitProperty){};
        return 0;
}

int unit_properties_from_annotations(char *const *annotations, UnitPropertyList *l, SysrunError *e) {
        STRV_FOREACH_PAIR(k, v, annotations) {
                UnitProperty p;
                const char *name = startswith(*k, "org.systemd.property.");
                int r;

                if (!name)
                        continue;
                r = unit_property_from_annotation(name, *v, &p, e);
                if (r < 0)
                        return r;
                r = unit_property_list_take(l, &p);
                if (r < 0)
                        return r;
        }
        return 0;
}

int systemd_version_parse(const char *s, unsigned *ret) {
        unsigned long v;
        char *end;

        if (!s)
                return -EINVAL;
        s = skip_space(s);
        if (*s == 'v')
                s++;
        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || v == 0 || v > 100000)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}
