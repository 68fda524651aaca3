/* SPDX-License-Identifier: GPL-2.0 */
/* Lists of task names, as options give them ("python,faiss,milvus"). */
#ifndef TSR_CLASSIFY_NAMES_H
#define TSR_CLASSIFY_NAMES_H

#include <stddef.h>
#include "classify.h"

/*
 * Split the comma-separated @list into @names (at most CLS_MAX_NAMES of
 * them, each cut to the CLS_NAME_LEN - 1 characters the kernel keeps of a
 * task's name, NUL-padded) and their count in @nr; an empty list is no
 * names. 0, or -EINVAL with what is wrong with the list in @err
 * ("has an empty name (accepted: ...)").
 */
int classify_parse_names(const char *list, char names[CLS_MAX_NAMES][CLS_NAME_LEN],
			 unsigned int *nr, char *err, size_t err_len);

#endif /* TSR_CLASSIFY_NAMES_H */
