// SPDX-License-Identifier: GPL-2.0
/* Profiles and the slowdown model from JSON (jansson). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

static int fail(char *err, size_t len, const char *path, const char *fmt, ...)
{
	int n = snprintf(err, len, "%s: ", path);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A number field of @obj in [lo, hi]; @field names it in errors. */
static int get_num(json_t *obj, const char *key, const char *field, double lo, double hi,
		   double *out, const char *path, char *err, size_t len)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return fail(err, len, path, "field '%s' is missing", field);
	if (!json_is_number(v))
		return fail(err, len, path, "field '%s' must be a number", field);
	*out = json_number_value(v);
	if (!isfinite(*out) || *out < lo || *out > hi)
		return fail(err, len, path, "field '%s' is %g, accepted %g..%g", field, *out, lo,
			    hi);
	return 0;
}

static int get_name(json_t *v, const char *field, char *out, const char *path, char *err,
		    size_t len)
{
	const char *s;

	if (!json_is_string(v))
		return fail(err, len, path, "field '%s' must be a string", field);
	s = json_string_value(v);
	if (!*s || strlen(s) >= SMT_NAME_LEN)
		return fail(err, len, path, "field '%s' must have 1..%d characters", field,
			    SMT_NAME_LEN - 1);
	strcpy(out, s);
	return 0;
}

static json_t *load_object(const char *path, char *err, size_t len)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

	if (!root) {
		fail(err, len, path, "line %d column %d: %s", je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		fail(err, len, path, "the top level must be an object");
		return NULL;
	}
	return root;
}

static int load_resource(json_t *o, const char *name, struct smt_resource *r, const char *path,
			 char *err, size_t len)
{
	static const char *keys[] = { "sensitivity", "intensity", "usage", "base_slowdown" };
	double *dst[] = { &r->sensitivity, &r->intensity, &r->usage, &r->base_slowdown };
	char field[128];
	int ret;

	snprintf(field, sizeof(field), "resources.%s", name);
	if (!*name || strlen(name) >= SMT_NAME_LEN)
		return fail(err, len, path, "field '%s': a resource name has 1..%d characters",
			    field, SMT_NAME_LEN - 1);
	strcpy(r->name, name);
	if (!json_is_object(o))
		return fail(err, len, path, "field '%s' must be an object", field);
	for (int i = 0; i < 4; i++) {
		snprintf(field, sizeof(field), "resources.%s.%s", name, keys[i]);
		/* usage is a share of time; the others are model inputs, kept finite */
		ret = get_num(o, keys[i], field, 0, i == 2 ? 1 : 1e6, dst[i], path, err, len);
		if (ret)
			return ret;
	}
	return 0;
}

int smt_profile_load(const char *path, struct smt_profile *p, char *err, size_t len)
{
	json_t *root = load_object(path, err, len), *res, *v;
	const char *key;
	double id;
	int ret;

	if (!root)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	ret = get_num(root, "job_id", "job_id", 0, INT_MAX, &id, path, err, len);
	if (!ret && id != (int)id)
		ret = fail(err, len, path, "field 'job_id' must be a whole number");
	p->job_id = (int)id;
	if (!ret)
		ret = get_name(json_object_get(root, "name"), "name", p->name, path, err, len);
	if (!ret)
		ret = get_num(root, "single_ipc", "single_ipc", 1e-6, 64, &p->single_ipc, path, err,
			      len);
	if (!ret)
		ret = get_num(root, "l3_cache_ipc", "l3_cache_ipc", 0, 64, &p->l3_cache_ipc, path,
			      err, len);
	res = json_object_get(root, "resources");
	if (!ret && !json_is_object(res))
		ret = fail(err, len, path, "field 'resources' must be an object");
	if (!ret && (json_object_size(res) < 1 || json_object_size(res) > SMT_MAX_RESOURCES))
		ret = fail(err, len, path, "field 'resources' has %zu entries, accepted 1..%d",
			   json_object_size(res), SMT_MAX_RESOURCES);
	if (!ret) {
		json_object_foreach(res, key, v)
		{
			ret = load_resource(v, key, &p->res[p->nr_res++], path, err, len);
			if (ret)
				break;
		}
	}
	json_decref(root);
	return ret;
}

static int parse_activation(json_t *v, const char *field, enum smt_activation *out,
			    const char *path, char *err, size_t len)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	if (s && !strcmp(s, "sequential"))
		*out = SMT_ACT_SEQUENTIAL;
	else if (s && !strcmp(s, "parallel"))
		*out = SMT_ACT_PARALLEL;
	else
		return fail(err, len, path, "field '%s' must be \"sequential\" or \"parallel\"",
			    field);
	return 0;
}

static int load_model_resources(json_t *res, struct smt_model *m, const char *path, char *err,
				size_t len)
{
	char field[64];
	int ret;

	if (!json_is_array(res) || json_array_size(res) < 1 ||
	    json_array_size(res) > SMT_MAX_RESOURCES)
		return fail(err, len, path, "field 'resources' must be an array of 1..%d entries",
			    SMT_MAX_RESOURCES);
	m->nr_res = json_array_size(res);
	for (int i = 0; i < m->nr_res; i++) {
		json_t *r = json_array_get(res, i);

		snprintf(field, sizeof(field), "resources[%d].name", i);
		if (!json_is_object(r))
			return fail(err, len, path, "field 'resources[%d]' must be an object", i);
		ret = get_name(json_object_get(r, "name"), field, m->res[i], path, err, len);
		if (ret)
			return ret;
		for (int j = 0; j < i; j++)
			if (!strcmp(m->res[j], m->res[i]))
				return fail(err, len, path, "field '%s': '%s' appears twice", field,
					    m->res[i]);
		snprintf(field, sizeof(field), "resources[%d].activation", i);
		ret = parse_activation(json_object_get(r, "activation"), field, &m->act[i], path,
				       err, len);
		if (ret)
			return ret;
	}
	return 0;
}

int smt_model_load(const char *path, struct smt_model *m, char *err, size_t len)
{
	json_t *root = load_object(path, err, len), *coef;
	int ret;

	if (!root)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	ret = get_num(root, "intercept", "intercept", -1e6, 1e6, &m->intercept, path, err, len);
	if (!ret)
		ret = load_model_resources(json_object_get(root, "resources"), m, path, err, len);
	coef = json_object_get(root, "coefficients");
	if (!ret && (!json_is_array(coef) || (int)json_array_size(coef) != 1 + m->nr_res))
		ret = fail(
			err, len, path,
			"field 'coefficients' must be an array of %d numbers (min_base_slowdown, "
			"then one per resource)",
			1 + m->nr_res);
	for (int i = 0; !ret && i <= m->nr_res; i++) {
		json_t *c = json_array_get(coef, i);

		m->coef[i] = json_is_number(c) ? json_number_value(c) : NAN;
		if (!isfinite(m->coef[i]) || fabs(m->coef[i]) > 1e6)
			ret = fail(err, len, path,
				   "field 'coefficients[%d]' must be a number in -1e6..1e6", i);
	}
	json_decref(root);
	return ret;
}

int smt_model_newest(const char *dir, char *out, size_t out_len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char best[256] = "";

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (!fnmatch("prediction_model_*.json", e->d_name, 0) &&
		    strlen(e->d_name) < sizeof(best) && strcmp(e->d_name, best) > 0)
			strcpy(best, e->d_name);
	closedir(d);
	if (!*best)
		return -ENOENT;
	if ((size_t)snprintf(out, out_len, "%s/%s", dir, best) >= out_len)
		return -ENAMETOOLONG;
	return 0;
}
