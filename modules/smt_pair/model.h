/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inputs of SMT pairing: per-job resource profiles and the trained
 * slowdown model, read from JSON files (formats in this module's README).
 * A file that does not parse or lacks a field is refused with one line
 * naming the file and the field.
 */
#ifndef SMT_MODEL_H
#define SMT_MODEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define SMT_MAX_RESOURCES 16
#define SMT_NAME_LEN 32

enum smt_activation {
	SMT_ACT_SEQUENTIAL, /* a resource used in turn: contention max(0, uA + uB - 1) */
	SMT_ACT_PARALLEL, /* a resource used at once: uA * uB * (uA + uB) / 2 */
};

struct smt_resource {
	char name[SMT_NAME_LEN];
	double sensitivity; /* slowdown per unit of a co-runner's intensity */
	double intensity; /* pressure it puts on a co-runner */
	double usage; /* share of time it uses the resource, 0..1 */
	double base_slowdown; /* slowdown under a synthetic injector on this resource */
};

struct smt_profile {
	int job_id;
	char name[SMT_NAME_LEN];
	double single_ipc; /* IPC alone on the machine */
	double l3_cache_ipc; /* IPC while sharing the L3, no SMT partner */
	int nr_res;
	struct smt_resource res[SMT_MAX_RESOURCES];
};

struct smt_model {
	double intercept;
	double coef[1 + SMT_MAX_RESOURCES]; /* [0] min_base_slowdown, then per resource */
	int nr_res;
	char res[SMT_MAX_RESOURCES][SMT_NAME_LEN];
	enum smt_activation act[SMT_MAX_RESOURCES];
};

/* Room for the one-line error the loaders write. */
#define SMT_ERR_LEN 512

/* Read @path into @p; 0, or -EINVAL/-errno with the reason in @err. */
int smt_profile_load(const char *path, struct smt_profile *p, char *err, size_t err_len);

/* Read @path into @m; 0, or -EINVAL/-errno with the reason in @err. */
int smt_model_load(const char *path, struct smt_model *m, char *err, size_t err_len);

/*
 * The model file to use in @dir: the prediction_model_*.json whose name
 * sorts last (names carry a timestamp). 0 with the path in @out, -ENOENT
 * when there is none, -errno when @dir cannot be read.
 */
int smt_model_newest(const char *dir, char *out, size_t out_len);

#endif /* SMT_MODEL_H */
