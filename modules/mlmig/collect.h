/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Training data: every candidate the balancer offered, with its features,
 * whether it was the move made, and for a move made its outcome, judged
 * MLMIG_JUDGE_ROUNDS balancer rounds later (README: the label and why).
 * One CSV line per candidate; mlmig_read_log() reads them back.
 */
#ifndef MLMIG_COLLECT_H
#define MLMIG_COLLECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "mlfeatures.h"
#include "train.h"

#define MLMIG_JUDGE_ROUNDS 3
#define MLMIG_PENDING 1024 /* moves waiting for their outcome */

struct mlmig_pending {
	uint32_t task, gen, round;
	int src, dst;
	double gap; /* load of src minus load of dst before the move */
	float x[MLMIG_INPUTS];
};

struct mlmig_collector {
	FILE *out;
	uint32_t set;
	struct mlmig_pending pending[MLMIG_PENDING];
	int head, count;
	uint64_t lines, good, bad, dropped;
};

/* Where a judged move's task and domains are now, from the running scheduler. */
struct mlmig_now {
	/* the task's domain if record @task still has generation @gen, else -1 */
	int (*dom_of)(void *data, uint32_t task, uint32_t gen);
	double (*load)(void *data, int dom); /* a domain's load */
	void *data;
};

/* Start a log at @path for features @set (the header names them); 0 or -errno. */
int mlmig_collect_open(struct mlmig_collector *c, const char *path, uint32_t set);

/*
 * One candidate of balancer round @round: features @x, @task/@gen moving
 * @src -> @dst with load gap @gap; @made when it is the move made (it waits
 * for its outcome), else it is written at once, unlabelled.
 */
void mlmig_collect_offer(struct mlmig_collector *c, uint32_t round, const float *x, uint32_t task,
			 uint32_t gen, int src, int dst, double gap, bool made);

/* Label and write the moves made MLMIG_JUDGE_ROUNDS or more rounds before @round. */
void mlmig_collect_judge(struct mlmig_collector *c, uint32_t round, const struct mlmig_now *now);

/* Write the moves still waiting, unlabelled, and close the log. */
void mlmig_collect_close(struct mlmig_collector *c);

/*
 * The labelled lines of a log into *@out (*@n of them; unlabelled lines
 * skipped), its feature set into *@set. 0, or -errno with one line in @err
 * naming the line that is wrong. Appends: several logs may be read into one
 * array (*@out NULL and *@n 0 at first).
 */
int mlmig_read_log(FILE *f, const char *name, uint32_t *set, struct mlmig_sample **out, int *n,
		   char *err, size_t err_len);

#endif /* MLMIG_COLLECT_H */
