// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * A vcpu's MTE state as the VMM sees it: reset, get/set by KVM one-reg id,
 * and the little-endian migration blob.  Every setter validates all of its
 * input before it writes anything.  Pure, table-free (switch statements
 * generated from the one list in <kvmmte/mte-regs.h>), no libc.
 */
#include <kvmmte/mte-regs.h>
#include <kvmmte/vmm.h>
#include "internal.h"

/* A register the VMM sees (KVMMTE_MTE_REG_VMM in the list). */
struct vmm_reg {
	uint64_t id;		/* KVM one-reg id */
	int offset;		/* of its field in struct kvmmte_state */
	uint64_t valid;		/* the bits it holds: what a set may contain */
	unsigned int flags;	/* KVMMTE_MTE_REG_* */
};

/* @reg's description; true if a VMM can see it (for some VM). */
static bool vmm_reg(unsigned int reg, struct vmm_reg *r)
{
	switch (reg) {
#define VMM_REG(name, offset, valid, flags) \
	case KVMMTE_REG_##name: \
		*r = (struct vmm_reg){ KVMMTE_ONE_REG(name), (offset), (valid), (flags) }; \
		return (flags) & KVMMTE_MTE_REG_VMM;
	KVMMTE_MTE_REGS(VMM_REG)
#undef VMM_REG
	default:
		return false;
	}
}

/* The number of registers @vm's VMM sees. */
static unsigned int vm_nr_regs(const struct kvmmte_vm_config *vm)
{
	struct vmm_reg r;
	unsigned int reg, n = 0;

	for (reg = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, &r) && kvmmte_vm_has_reg(vm, r.flags))
			n++;
	return n;
}

/*
 * The VMM-visible registers are the fields of struct kvmmte_state, each
 * once: the id list, reset and the v1 blob (fields at their state offsets)
 * rely on it.
 */
#define COUNT_VMM(name, offset, valid, flags)	+ ((flags) & KVMMTE_MTE_REG_VMM ? 1 : 0)
#define FIELDS_VMM(name, offset, valid, flags)	| ((flags) & KVMMTE_MTE_REG_VMM ? 1 << (offset) / 8 : 0)
_Static_assert((0 KVMMTE_MTE_REGS(COUNT_VMM)) == KVMMTE_VMM_NR_REGS,
	       "KVMMTE_VMM_NR_REGS does not match the list");
_Static_assert((0 KVMMTE_MTE_REGS(FIELDS_VMM)) == (1 << KVMMTE_VMM_NR_REGS) - 1 &&
	       KVMMTE_VMM_NR_REGS * 8 == KVMMTE_STATE_SIZE,
	       "the VMM-visible registers must be the fields of struct kvmmte_state");
#undef COUNT_VMM
#undef FIELDS_VMM

int kvmmte_vcpu_reset_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			 void *ctxt)
{
	int ret = kvmmte_check_vm_layout_args(vm, layout, ctxt, ctxt);
	bool mte;

	if (ret)
		return ret;
	mte = kvmmte_vm_has_mte(vm);
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_RGSR_EL1) = mte ? KVMMTE_RESET_RGSR_EL1 : 0;
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_GCR_EL1) = mte ? KVMMTE_RESET_GCR_EL1 : 0;
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_TFSR_EL1) = mte ? KVMMTE_RESET_TFSR_EL1 : 0;
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_TFSRE0_EL1) = mte ? KVMMTE_RESET_TFSRE0_EL1 : 0;
	return 0;
}

int kvmmte_vcpu_reset(const struct kvmmte_vm_config *vm, struct kvmmte_state *state)
{
	return kvmmte_vcpu_reset_at(vm, KVMMTE_LAYOUT_OF_STATE, state);
}

int kvmmte_vmm_reg_list(const struct kvmmte_vm_config *vm, uint64_t *ids, size_t n)
{
	int ret = kvmmte_vm_config_valid(vm);
	struct vmm_reg r;
	unsigned int reg, count;
	size_t i;

	if (ret)
		return ret;
	count = vm_nr_regs(vm);
	if (!ids || !count)
		return (int)count;
	if (n < count)
		return -KVMMTE_ENOSPC;
	for (reg = 0, i = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, &r) && kvmmte_vm_has_reg(vm, r.flags))
			ids[i++] = r.id;
	return (int)count;
}

/* Common checks of get and set: 0 and @id's register in *@r, or an error. */
static int lookup(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *l,
		  const void *ctxt, const void *val, uint64_t id, struct vmm_reg *r)
{
	int ret = kvmmte_check_vm_layout_args(vm, l, ctxt, val);
	unsigned int reg;

	if (ret)
		return ret;
	for (reg = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, r) && r->id == id)
			break;
	if (reg == KVMMTE_REG_COUNT)
		return -KVMMTE_ENOENT;
	if (!kvmmte_vm_has_reg(vm, r->flags))
		return -KVMMTE_EPERM;
	return 0;
}

int kvmmte_vmm_get_reg_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			  const void *ctxt, uint64_t id, uint64_t *val)
{
	struct vmm_reg r;
	int ret = lookup(vm, layout, ctxt, val, id, &r);

	if (ret)
		return ret;
	*val = kvmmte_slot_value(layout, ctxt, r.offset);
	return 0;
}

int kvmmte_vmm_set_reg_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			  void *ctxt, uint64_t id, uint64_t val)
{
	struct vmm_reg r;
	int ret = lookup(vm, layout, ctxt, &val, id, &r);

	if (ret)
		return ret;
	if (val & ~r.valid)
		return -KVMMTE_ERANGE;
	*kvmmte_slot(layout, ctxt, r.offset) = val;
	return 0;
}

int kvmmte_vmm_get_reg(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
		       uint64_t id, uint64_t *val)
{
	return kvmmte_vmm_get_reg_at(vm, KVMMTE_LAYOUT_OF_STATE, state, id, val);
}

int kvmmte_vmm_set_reg(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
		       uint64_t id, uint64_t val)
{
	return kvmmte_vmm_set_reg_at(vm, KVMMTE_LAYOUT_OF_STATE, state, id, val);
}

/* --- migration blob ---------------------------------------------------- */

#define BLOB_HEADER_SIZE	16
#define OFF_MAGIC		0
#define OFF_VERSION		4
#define OFF_RESERVED0		6
#define OFF_LENGTH		8
#define OFF_RESERVED1		12
#define OFF_REGS		16	/* the VM's registers, u64 each, in list order */
/* After the n registers: the CRC, then 4 reserved bytes. */
#define BLOB_SIZE(n)		(OFF_REGS + 8 * (n) + 8)
#define OFF_CRC(n)		(OFF_REGS + 8 * (n))

_Static_assert(BLOB_SIZE(KVMMTE_VMM_NR_REGS) == KVMMTE_BLOB_SIZE &&
	       OFF_CRC(KVMMTE_VMM_NR_REGS) == KVMMTE_BLOB_CRC_OFFSET,
	       "blob v1 with every register: the checksum follows the four registers");

/* Byte-wise little-endian access: independent of host byte order and alignment. */
static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* CRC-32, IEEE 802.3 polynomial, reflected (zlib's crc32()); bitwise, no table. */
static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffU;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1U)));
	}
	return ~crc;
}

/* What both blob directions require before looking at the blob itself. */
static int blob_check_args(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *l,
			   const void *ctxt, const void *buf)
{
	int ret = kvmmte_check_vm_layout_args(vm, l, ctxt, buf);

	if (ret)
		return ret;
	return kvmmte_vm_has_mte(vm) ? 0 : -KVMMTE_EPERM;
}

int kvmmte_state_blob_size(const struct kvmmte_vm_config *vm)
{
	int ret = kvmmte_vm_config_valid(vm);

	if (ret)
		return ret;
	if (!kvmmte_vm_has_mte(vm))
		return -KVMMTE_EPERM;
	return BLOB_SIZE(vm_nr_regs(vm));
}

int kvmmte_state_blob_save_at(const struct kvmmte_vm_config *vm,
			      const struct kvmmte_layout *layout, const void *ctxt,
			      void *buf, size_t size)
{
	uint8_t *p = buf;
	struct vmm_reg r;
	unsigned int reg, n, i;
	int ret;

	ret = blob_check_args(vm, layout, ctxt, buf);
	if (ret)
		return ret;
	n = vm_nr_regs(vm);
	if (size < BLOB_SIZE(n))
		return -KVMMTE_ENOSPC;

	put_le(p + OFF_MAGIC, KVMMTE_BLOB_MAGIC, 4);
	put_le(p + OFF_VERSION, KVMMTE_BLOB_VERSION, 2);
	put_le(p + OFF_RESERVED0, 0, 2);
	put_le(p + OFF_LENGTH, BLOB_SIZE(n), 4);
	put_le(p + OFF_RESERVED1, 0, 4);
	for (reg = 0, i = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, &r) && kvmmte_vm_has_reg(vm, r.flags))
			put_le(p + OFF_REGS + 8 * i++, kvmmte_slot_value(layout, ctxt, r.offset), 8);
	put_le(p + OFF_CRC(n), crc32_ieee(p, OFF_CRC(n)), 4);
	put_le(p + OFF_CRC(n) + 4, 0, 4);
	return (int)BLOB_SIZE(n);
}

int kvmmte_state_blob_restore_at(const struct kvmmte_vm_config *vm,
				 const struct kvmmte_layout *layout, void *ctxt,
				 const void *buf, size_t size)
{
	const uint8_t *p = buf;
	struct kvmmte_state s = { 0 };
	struct vmm_reg r;
	uint64_t length;
	unsigned int reg, n, i;
	int ret;

	ret = blob_check_args(vm, layout, ctxt, buf);
	if (ret)
		return ret;
	if (size < BLOB_HEADER_SIZE)
		return -KVMMTE_EBADMSG;
	if (get_le(p + OFF_MAGIC, 4) != KVMMTE_BLOB_MAGIC)
		return -KVMMTE_EPROTO;
	if (get_le(p + OFF_VERSION, 2) != KVMMTE_BLOB_VERSION)
		return -KVMMTE_EPROTONOSUPPORT;
	/* The length says which registers it carries: the VM's, no others. */
	n = vm_nr_regs(vm);
	length = get_le(p + OFF_LENGTH, 4);
	if (length != BLOB_SIZE(n) || size < length)
		return -KVMMTE_EBADMSG;
	if (size > length)
		return -KVMMTE_E2BIG;
	if (get_le(p + OFF_CRC(n), 4) != crc32_ieee(p, OFF_CRC(n)) ||
	    get_le(p + OFF_RESERVED0, 2) || get_le(p + OFF_RESERVED1, 4) ||
	    get_le(p + OFF_CRC(n) + 4, 4))
		return -KVMMTE_EBADMSG;

	/*
	 * Decode into a copy (registers the VM lacks stay 0); *state is
	 * written only once all of it is valid.
	 */
	for (reg = 0, i = 0; reg < KVMMTE_REG_COUNT; reg++) {
		uint64_t v;

		if (!vmm_reg(reg, &r) || !kvmmte_vm_has_reg(vm, r.flags))
			continue;
		v = get_le(p + OFF_REGS + 8 * i++, 8);
		if (v & ~r.valid)
			return -KVMMTE_ERANGE;
		*kvmmte_slot(KVMMTE_LAYOUT_OF_STATE, &s, r.offset) = v;
	}
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_RGSR_EL1) = s.rgsr_el1;
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_GCR_EL1) = s.gcr_el1;
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_TFSR_EL1) = s.tfsr_el1;
	*kvmmte_slot(layout, ctxt, KVMMTE_STATE_TFSRE0_EL1) = s.tfsre0_el1;
	return 0;
}

int kvmmte_state_blob_save(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
			   void *buf, size_t size)
{
	return kvmmte_state_blob_save_at(vm, KVMMTE_LAYOUT_OF_STATE, state, buf, size);
}

int kvmmte_state_blob_restore(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
			      const void *buf, size_t size)
{
	return kvmmte_state_blob_restore_at(vm, KVMMTE_LAYOUT_OF_STATE, state, buf, size);
}
