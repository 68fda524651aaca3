// SPDX-License-Identifier: GPL-2.0
/*
 * tessera-train: a migration model for the mlmig module from candidate
 * logs (scx_ml --ml-collect). Prints how it does on the held-out share and
 * writes the model file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "framework/options.h"
#include "modules/mlmig/collect.h"
#include "modules/mlmig/model_file.h"

static struct {
	const char *out;
	uint64_t epochs, hidden, seed, batch;
	double lr, val_share, threshold;
	const char *constant;
	const char *features;
	bool verbose;
} o = { .epochs = 30,
	.hidden = MLP_SEED_HIDDEN,
	.seed = 1,
	.batch = 32,
	.lr = 1e-3,
	.val_share = 0.2,
	.threshold = 0.5,
	.features = "tessera" };

static const struct tsr_opt opts[] = {
	{ "output", 'o', TSR_OPT_STRING, &o.out, .metavar = "FILE",
	  .help = "Write the model here (required)" },
	{ "epochs", 0, TSR_OPT_U64, &o.epochs, .min = 1, .max = 10000, .metavar = "N",
	  .help = "Passes over the training share" },
	{ "hidden", 0, TSR_OPT_U64, &o.hidden, .min = 1, .max = MLP_HIDDEN_MAX, .metavar = "N",
	  .help = "Neurons of each hidden layer" },
	{ "seed", 0, TSR_OPT_U64, &o.seed, .min = 0, .max = UINT64_MAX, .metavar = "N",
	  .help = "Seed of the initial weights and the sample order: the same seed and data "
		  "give the same model" },
	{ "batch", 0, TSR_OPT_U64, &o.batch, .min = 1, .max = 4096, .metavar = "N",
	  .help = "Samples per gradient step" },
	{ "lr", 0, TSR_OPT_DOUBLE, &o.lr, .dmin = 1e-6, .dmax = 0.5, .metavar = "RATE",
	  .help = "Adam's step size" },
	{ "validation", 0, TSR_OPT_DOUBLE, &o.val_share, .dmin = 0, .dmax = 0.9, .metavar = "SHARE",
	  .help = "Share of the samples held out to report on" },
	{ "threshold", 0, TSR_OPT_DOUBLE, &o.threshold, .dmin = 0, .dmax = 1, .metavar = "P",
	  .help = "Score above which a move counts as predicted good in the report" },
	{ "constant", 0, TSR_OPT_STRING, &o.constant, .choices = "stay|migrate",
	  .metavar = "ANSWER",
	  .help = "Write a model that always answers this (a baseline; reads no log)" },
	{ "features", 0, TSR_OPT_STRING, &o.features, .choices = "seed|tessera", .metavar = "SET",
	  .help = "Feature set of a --constant model" },
	{ "verbose", 'v', TSR_OPT_FLAG, &o.verbose, .help = "Print the loss of every epoch" },
	{ 0 },
};

static int read_logs(char **paths, int nr, uint32_t *set, struct mlmig_sample **s, int *n)
{
	for (int i = 0; i < nr; i++) {
		char err[512];
		uint32_t this_set;
		FILE *f = fopen(paths[i], "r");
		int ret;

		if (!f) {
			fprintf(stderr, "tessera-train: %s: %s\n", paths[i], strerror(errno));
			return 1;
		}
		ret = mlmig_read_log(f, paths[i], &this_set, s, n, err, sizeof(err));
		fclose(f);
		if (ret) {
			fprintf(stderr, "tessera-train: %s\n", err);
			return 1;
		}
		if (i && this_set != *set) {
			fprintf(stderr, "tessera-train: %s has features %s, %s has %s\n", paths[i],
				mlmig_feature_set_name(this_set), paths[0],
				mlmig_feature_set_name(*set));
			return 1;
		}
		*set = this_set;
	}
	return 0;
}

/* A model whose score is ~0 (stay) or ~1 (migrate) whatever the features. */
static int write_constant(const char *path, bool migrate)
{
	struct mlp *m = calloc(1, sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	m->feature_set = mlmig_feature_set_by_name(o.features);
	m->in = MLMIG_INPUTS;
	m->h1 = m->h2 = 1;
	m->b3 = migrate ? 20 : -20;
	ret = mlmig_model_save(path, m);
	free(m);
	return ret;
}

static void report(const struct mlmig_metrics *m, int n, int positives)
{
	printf("samples: %d (%d good moves, %d bad)\n", n, positives, n - positives);
	printf("held out: accuracy %.4f precision %.4f recall %.4f loss %.4f\n", mlmig_accuracy(m),
	       mlmig_precision(m), mlmig_recall(m), m->loss);
	printf("confusion (rows: outcome, columns: prediction)\n");
	printf("            migrate   stay\n");
	printf("  good     %8ld %6ld\n", m->tp, m->fn);
	printf("  bad      %8ld %6ld\n", m->fp, m->tn);
}

int main(int argc, char **argv)
{
	struct tsr_opt_group groups[] = { { "Options", opts } };
	struct mlmig_train_opts to = MLMIG_TRAIN_DEFAULTS;
	struct mlmig_sample *s = NULL;
	struct mlmig_metrics val;
	struct mlp *m = malloc(sizeof(*m));
	int n = 0, positives = 0, first, ret;
	uint32_t set = 0;

	ret = tsr_opts_parse_args(groups, 1, argc, argv, "tessera-train", stderr, &first);
	if (ret == TSR_PARSE_HELP) {
		tsr_opts_usage(groups, 1, "tessera-train",
			       "train mlmig's migration model from candidate logs: tessera-train "
			       "-o MODEL LOG...",
			       stdout);
		return 0;
	}
	if (ret != TSR_PARSE_OK)
		return 2;
	if (o.out && o.constant) {
		ret = write_constant(o.out, !strcmp(o.constant, "migrate"));
		if (ret)
			fprintf(stderr, "tessera-train: %s: %s\n", o.out, strerror(-ret));
		else
			printf("model: %s (always %s)\n", o.out, o.constant);
		return ret ? 1 : 0;
	}
	if (!o.out || first >= argc) {
		fprintf(stderr, "tessera-train: give -o MODEL and at least one log (see --help)\n");
		return 2;
	}
	if (!m || read_logs(argv + first, argc - first, &set, &s, &n))
		return 1;
	if (n < 10) {
		fprintf(stderr, "tessera-train: %d judged moves in the logs, 10 at least needed\n",
			n);
		return 1;
	}
	for (int i = 0; i < n; i++)
		positives += s[i].y > 0.5f;
	to.epochs = o.epochs;
	to.hidden = o.hidden;
	to.seed = o.seed;
	to.batch = o.batch;
	to.lr = o.lr;
	to.val_share = o.val_share;
	to.threshold = o.threshold;
	ret = mlmig_train(s, n, set, &to, m, &val, o.verbose ? stdout : NULL);
	if (!ret)
		ret = mlmig_model_save(o.out, m);
	if (ret) {
		fprintf(stderr, "tessera-train: %s: %s\n", o.out, strerror(-ret));
		return 1;
	}
	report(&val, n, positives);
	printf("model: %s (features %s, %d-%d-%d-1)\n", o.out, mlmig_feature_set_name(set), m->in,
	       m->h1, m->h2);
	free(s);
	free(m);
	return 0;
}
