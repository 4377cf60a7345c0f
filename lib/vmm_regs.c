// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * A vcpu's MTE state as the VMM sees it: reset, get/set by KVM one-reg id,
 * and the little-endian migration blob.  Every setter validates all of its
 * input before it writes anything.  Pure, table-free (switch statements
 * generated from the one list in <kvmmte/mte-regs.h>), no libc.
 */
#include <kvmmte/mte-regs.h>
#include <kvmmte/vmm.h>

/* A register the VMM sees (KVMMTE_MTE_REG_VMM in the list). */
struct vmm_reg {
	uint64_t id;		/* KVM one-reg id */
	int offset;		/* of its field in struct kvmmte_state */
	uint64_t valid;		/* the bits it holds: what a set may contain */
};

/* @reg's description; true if the VMM sees it. */
static bool vmm_reg(unsigned int reg, struct vmm_reg *r)
{
	switch (reg) {
#define VMM_REG(name, offset, valid, flags) \
	case KVMMTE_REG_##name: \
		*r = (struct vmm_reg){ KVMMTE_ONE_REG(name), (offset), (valid) }; \
		return (flags) & KVMMTE_MTE_REG_VMM;
	KVMMTE_MTE_REGS(VMM_REG)
#undef VMM_REG
	default:
		return false;
	}
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

static uint64_t *field(struct kvmmte_state *s, int offset)
{
	return (uint64_t *)((char *)s + offset);
}

static uint64_t field_value(const struct kvmmte_state *s, int offset)
{
	return *(const uint64_t *)((const char *)s + offset);
}

static bool has_mte(const struct kvmmte_vm_config *vm)
{
	return vm->mte_level >= KVMMTE_PFR1_MTE_MTE2;
}

int kvmmte_vcpu_reset(const struct kvmmte_vm_config *vm, struct kvmmte_state *state)
{
	int ret;

	if (!state)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_config_valid(vm);
	if (ret)
		return ret;
	if (has_mte(vm)) {
		state->rgsr_el1 = KVMMTE_RESET_RGSR_EL1;
		state->gcr_el1 = KVMMTE_RESET_GCR_EL1;
		state->tfsr_el1 = KVMMTE_RESET_TFSR_EL1;
		state->tfsre0_el1 = KVMMTE_RESET_TFSRE0_EL1;
	} else {
		state->rgsr_el1 = 0;
		state->gcr_el1 = 0;
		state->tfsr_el1 = 0;
		state->tfsre0_el1 = 0;
	}
	return 0;
}

int kvmmte_vmm_reg_list(const struct kvmmte_vm_config *vm, uint64_t *ids, size_t n)
{
	int ret = kvmmte_vm_config_valid(vm);
	struct vmm_reg r;
	unsigned int reg;
	size_t i;

	if (ret)
		return ret;
	if (!has_mte(vm))
		return 0;
	if (!ids)
		return KVMMTE_VMM_NR_REGS;
	if (n < KVMMTE_VMM_NR_REGS)
		return -KVMMTE_ENOSPC;
	for (reg = 0, i = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, &r))
			ids[i++] = r.id;
	return KVMMTE_VMM_NR_REGS;
}

/* Common checks of get and set: 0 and @id's register in *@r, or an error. */
static int lookup(const struct kvmmte_vm_config *vm, const void *state, const void *val,
		  uint64_t id, struct vmm_reg *r)
{
	unsigned int reg;
	int ret;

	if (!state || !val)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_config_valid(vm);
	if (ret)
		return ret;
	for (reg = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, r) && r->id == id)
			break;
	if (reg == KVMMTE_REG_COUNT)
		return -KVMMTE_ENOENT;
	if (!has_mte(vm))
		return -KVMMTE_EPERM;
	return 0;
}

int kvmmte_vmm_get_reg(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
		       uint64_t id, uint64_t *val)
{
	struct vmm_reg r;
	int ret = lookup(vm, state, val, id, &r);

	if (ret)
		return ret;
	*val = field_value(state, r.offset);
	return 0;
}

int kvmmte_vmm_set_reg(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
		       uint64_t id, uint64_t val)
{
	struct vmm_reg r;
	int ret = lookup(vm, state, &val, id, &r);

	if (ret)
		return ret;
	if (val & ~r.valid)
		return -KVMMTE_ERANGE;
	*field(state, r.offset) = val;
	return 0;
}

/* --- migration blob ---------------------------------------------------- */

#define BLOB_HEADER_SIZE	16
#define OFF_MAGIC		0
#define OFF_VERSION		4
#define OFF_RESERVED0		6
#define OFF_LENGTH		8
#define OFF_RESERVED1		12
#define OFF_REGS		16	/* struct kvmmte_state, each u64 at its offset */
#define OFF_RESERVED2		(KVMMTE_BLOB_CRC_OFFSET + 4)

_Static_assert(OFF_REGS + KVMMTE_STATE_SIZE == KVMMTE_BLOB_CRC_OFFSET,
	       "blob v1: the checksum follows the four registers");
_Static_assert(OFF_RESERVED2 + 4 == KVMMTE_BLOB_SIZE, "blob v1 size");

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
static int blob_check_args(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
			   const void *buf)
{
	int ret;

	if (!state || !buf)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_config_valid(vm);
	if (ret)
		return ret;
	return has_mte(vm) ? 0 : -KVMMTE_EPERM;
}

int kvmmte_state_blob_save(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
			   void *buf, size_t size)
{
	uint8_t *p = buf;
	struct vmm_reg r;
	unsigned int reg;
	int ret;

	ret = blob_check_args(vm, state, buf);
	if (ret)
		return ret;
	if (size < KVMMTE_BLOB_SIZE)
		return -KVMMTE_ENOSPC;

	put_le(p + OFF_MAGIC, KVMMTE_BLOB_MAGIC, 4);
	put_le(p + OFF_VERSION, KVMMTE_BLOB_VERSION, 2);
	put_le(p + OFF_RESERVED0, 0, 2);
	put_le(p + OFF_LENGTH, KVMMTE_BLOB_SIZE, 4);
	put_le(p + OFF_RESERVED1, 0, 4);
	for (reg = 0; reg < KVMMTE_REG_COUNT; reg++)
		if (vmm_reg(reg, &r))
			put_le(p + OFF_REGS + r.offset, field_value(state, r.offset), 8);
	put_le(p + KVMMTE_BLOB_CRC_OFFSET, crc32_ieee(p, KVMMTE_BLOB_CRC_OFFSET), 4);
	put_le(p + OFF_RESERVED2, 0, 4);
	return KVMMTE_BLOB_SIZE;
}

int kvmmte_state_blob_restore(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
			      const void *buf, size_t size)
{
	const uint8_t *p = buf;
	struct kvmmte_state s;
	struct vmm_reg r;
	uint64_t length;
	unsigned int reg;
	int ret;

	ret = blob_check_args(vm, state, buf);
	if (ret)
		return ret;
	if (size < BLOB_HEADER_SIZE)
		return -KVMMTE_EBADMSG;
	if (get_le(p + OFF_MAGIC, 4) != KVMMTE_BLOB_MAGIC)
		return -KVMMTE_EPROTO;
	if (get_le(p + OFF_VERSION, 2) != KVMMTE_BLOB_VERSION)
		return -KVMMTE_EPROTONOSUPPORT;
	length = get_le(p + OFF_LENGTH, 4);
	if (length != KVMMTE_BLOB_SIZE || size < length)
		return -KVMMTE_EBADMSG;
	if (size > length)
		return -KVMMTE_E2BIG;
	if (get_le(p + KVMMTE_BLOB_CRC_OFFSET, 4) != crc32_ieee(p, KVMMTE_BLOB_CRC_OFFSET) ||
	    get_le(p + OFF_RESERVED0, 2) || get_le(p + OFF_RESERVED1, 4) ||
	    get_le(p + OFF_RESERVED2, 4))
		return -KVMMTE_EBADMSG;

	/* Decode into a copy; *state is written only once all of it is valid. */
	for (reg = 0; reg < KVMMTE_REG_COUNT; reg++) {
		uint64_t v;

		if (!vmm_reg(reg, &r))
			continue;
		v = get_le(p + OFF_REGS + r.offset, 8);
		if (v & ~r.valid)
			return -KVMMTE_ERANGE;
		*field(&s, r.offset) = v;
	}
	*state = s;
	return 0;
}
