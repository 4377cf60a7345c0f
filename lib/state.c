// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * struct kvmmte_layout: a caller's context layout, checked once per _at call.
 */
#include <kvmmte/errno.h>
#include <kvmmte/state.h>

int kvmmte_layout_valid(const struct kvmmte_layout *l)
{
	uint32_t off[4];
	unsigned int i, j;

	if (!l)
		return -KVMMTE_EFAULT;
	off[0] = l->rgsr_el1;
	off[1] = l->gcr_el1;
	off[2] = l->tfsr_el1;
	off[3] = l->tfsre0_el1;
	for (i = 0; i < 4; i++) {
		if (off[i] & 7)
			return -KVMMTE_EINVAL;
		for (j = 0; j < i; j++)
			if (off[i] == off[j])
				return -KVMMTE_EINVAL;
	}
	return 0;
}
