/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Library-internal helpers: the checks and decoders every routine of the
 * library would otherwise write out again.  Not installed.
 */
#ifndef KVMMTE_LIB_INTERNAL_H
#define KVMMTE_LIB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <kvmmte/errno.h>
#include <kvmmte/mte-regs.h>
#include <kvmmte/state.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/vm.h>

/* ID_AA64PFR1_EL1.MTE, the raw field (0 none, 1 FEAT_MTE, 2 MTE2, 3 MTE3...). */
static inline unsigned int kvmmte_pfr1_mte(uint64_t pfr1)
{
	return (unsigned int)((pfr1 & KVMMTE_PFR1_MTE_MASK) >> KVMMTE_PFR1_MTE_SHIFT);
}

/* A VM has MTE: its config says MTE2 or more (the only levels a VM gets). */
static inline bool kvmmte_vm_has_mte(const struct kvmmte_vm_config *vm)
{
	return vm->mte_level >= KVMMTE_PFR1_MTE_MTE2;
}

/*
 * Does @vm have an MTE register of these KVMMTE_MTE_REG_* @flags
 * (<kvmmte/mte-regs.h>)?  Only with MTE; the TFSR ones (ASYNC) only with
 * FEAT_MTE_ASYNC.
 */
static inline bool kvmmte_vm_has_reg(const struct kvmmte_vm_config *vm, unsigned int flags)
{
	return kvmmte_vm_has_mte(vm) && (!(flags & KVMMTE_MTE_REG_ASYNC) || vm->async);
}

/*
 * What opens every routine that takes a VM config: @p1 and @p2 (pointers
 * the routine needs; pass @vm again for none) non-NULL, then @vm valid.
 * Returns 0, -KVMMTE_EFAULT or kvmmte_vm_config_valid()'s error.
 */
static inline int kvmmte_check_vm_args(const struct kvmmte_vm_config *vm, const void *p1,
				       const void *p2)
{
	if (!p1 || !p2)
		return -KVMMTE_EFAULT;
	return kvmmte_vm_config_valid(vm);
}

/* The same for the _at routines: then @layout, which must be valid. */
static inline int kvmmte_check_vm_layout_args(const struct kvmmte_vm_config *vm,
					      const struct kvmmte_layout *layout,
					      const void *p1, const void *p2)
{
	int ret = kvmmte_check_vm_args(vm, p1, p2);

	return ret ? ret : kvmmte_layout_valid(layout);
}

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

#endif /* KVMMTE_LIB_INTERNAL_H */
