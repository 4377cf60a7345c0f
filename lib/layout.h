/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Library-internal: the field of a caller's context that holds one of the
 * four registers, by struct kvmmte_layout.  Not installed.
 */
#ifndef KVMMTE_LIB_LAYOUT_H
#define KVMMTE_LIB_LAYOUT_H

#include <kvmmte/state.h>

/* The layout of struct kvmmte_state itself, for the plain routines. */
#define KVMMTE_LAYOUT_OF_STATE	(&(const struct kvmmte_layout)KVMMTE_LAYOUT_STATE)

/*
 * The slot of the register whose struct kvmmte_state offset is @state_off
 * (a KVMMTE_STATE_* value, as <kvmmte/mte-regs.h> gives it) in @ctxt.
 */
static inline uint64_t *kvmmte_slot(const struct kvmmte_layout *l, void *ctxt, int state_off)
{
	uint32_t off;

	switch (state_off) {
	case KVMMTE_STATE_RGSR_EL1:
		off = l->rgsr_el1;
		break;
	case KVMMTE_STATE_GCR_EL1:
		off = l->gcr_el1;
		break;
	case KVMMTE_STATE_TFSR_EL1:
		off = l->tfsr_el1;
		break;
	default:
		off = l->tfsre0_el1;
		break;
	}
	return (uint64_t *)((char *)ctxt + off);
}

static inline uint64_t kvmmte_slot_value(const struct kvmmte_layout *l, const void *ctxt,
					 int state_off)
{
	return *kvmmte_slot(l, (void *)(uintptr_t)ctxt, state_off);
}

#endif /* KVMMTE_LIB_LAYOUT_H */
