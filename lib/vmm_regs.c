// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * A vcpu's MTE state as the VMM sees it: reset, get/set by KVM one-reg id,
 * and the little-endian migration blob.  Every setter validates all of its
 * input before it writes anything.  Pure, table-free (switch statements),
 * no libc.
 */
#include <kvmmte/vmm.h>

/* One-reg id -> offset in struct kvmmte_state, or -1 if not ours. */
static int reg_offset(uint64_t id)
{
	switch (id) {
	case KVMMTE_ONE_REG(RGSR_EL1):
		return KVMMTE_STATE_RGSR_EL1;
	case KVMMTE_ONE_REG(GCR_EL1):
		return KVMMTE_STATE_GCR_EL1;
	case KVMMTE_ONE_REG(TFSR_EL1):
		return KVMMTE_STATE_TFSR_EL1;
	case KVMMTE_ONE_REG(TFSRE0_EL1):
		return KVMMTE_STATE_TFSRE0_EL1;
	default:
		return -1;
	}
}

/* The bits a register can hold, by its offset in struct kvmmte_state. */
static uint64_t valid_mask(int offset)
{
	switch (offset) {
	case KVMMTE_STATE_RGSR_EL1:
		return KVMMTE_RGSR_EL1_VALID_MASK;
	case KVMMTE_STATE_GCR_EL1:
		return KVMMTE_GCR_EL1_VALID_MASK;
	case KVMMTE_STATE_TFSR_EL1:
		return KVMMTE_TFSR_VALID_MASK;
	default:
		return KVMMTE_TFSRE0_EL1_VALID_MASK;
	}
}

static uint64_t *field(struct kvmmte_state *s, int offset)
{
	switch (offset) {
	case KVMMTE_STATE_RGSR_EL1:
		return &s->rgsr_el1;
	case KVMMTE_STATE_GCR_EL1:
		return &s->gcr_el1;
	case KVMMTE_STATE_TFSR_EL1:
		return &s->tfsr_el1;
	default:
		return &s->tfsre0_el1;
	}
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

	if (ret)
		return ret;
	if (!has_mte(vm))
		return 0;
	if (!ids)
		return KVMMTE_VMM_NR_REGS;
	if (n < KVMMTE_VMM_NR_REGS)
		return -KVMMTE_ENOSPC;
	ids[0] = KVMMTE_ONE_REG(RGSR_EL1);
	ids[1] = KVMMTE_ONE_REG(GCR_EL1);
	ids[2] = KVMMTE_ONE_REG(TFSR_EL1);
	ids[3] = KVMMTE_ONE_REG(TFSRE0_EL1);
	return KVMMTE_VMM_NR_REGS;
}

/* Common checks of get and set: the offset of @id's field, or an error. */
static int lookup(const struct kvmmte_vm_config *vm, const void *state, const void *val,
		  uint64_t id)
{
	int ret, off;

	if (!state || !val)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_config_valid(vm);
	if (ret)
		return ret;
	off = reg_offset(id);
	if (off < 0)
		return -KVMMTE_ENOENT;
	if (!has_mte(vm))
		return -KVMMTE_EPERM;
	return off;
}

int kvmmte_vmm_get_reg(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
		       uint64_t id, uint64_t *val)
{
	int off = lookup(vm, state, val, id);

	if (off < 0)
		return off;
	*val = *field((struct kvmmte_state *)state, off);
	return 0;
}

int kvmmte_vmm_set_reg(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
		       uint64_t id, uint64_t val)
{
	int off = lookup(vm, state, &val, id);

	if (off < 0)
		return off;
	if (val & ~valid_mask(off))
		return -KVMMTE_ERANGE;
	*field(state, off) = val;
	return 0;
}

/* --- migration blob ---------------------------------------------------- */

#define BLOB_HEADER_SIZE	16
#define OFF_MAGIC		0
#define OFF_VERSION		4
#define OFF_RESERVED0		6
#define OFF_LENGTH		8
#define OFF_RESERVED1		12
#define OFF_REGS		16	/* four u64 in struct kvmmte_state order */
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

int kvmmte_state_blob_save(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
			   void *buf, size_t size)
{
	uint8_t *p = buf;
	int ret;

	if (!state || !buf)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_config_valid(vm);
	if (ret)
		return ret;
	if (!has_mte(vm))
		return -KVMMTE_EPERM;
	if (size < KVMMTE_BLOB_SIZE)
		return -KVMMTE_ENOSPC;

	put_le(p + OFF_MAGIC, KVMMTE_BLOB_MAGIC, 4);
	put_le(p + OFF_VERSION, KVMMTE_BLOB_VERSION, 2);
	put_le(p + OFF_RESERVED0, 0, 2);
	put_le(p + OFF_LENGTH, KVMMTE_BLOB_SIZE, 4);
	put_le(p + OFF_RESERVED1, 0, 4);
	put_le(p + OFF_REGS + KVMMTE_STATE_RGSR_EL1, state->rgsr_el1, 8);
	put_le(p + OFF_REGS + KVMMTE_STATE_GCR_EL1, state->gcr_el1, 8);
	put_le(p + OFF_REGS + KVMMTE_STATE_TFSR_EL1, state->tfsr_el1, 8);
	put_le(p + OFF_REGS + KVMMTE_STATE_TFSRE0_EL1, state->tfsre0_el1, 8);
	put_le(p + KVMMTE_BLOB_CRC_OFFSET, crc32_ieee(p, KVMMTE_BLOB_CRC_OFFSET), 4);
	put_le(p + OFF_RESERVED2, 0, 4);
	return KVMMTE_BLOB_SIZE;
}

int kvmmte_state_blob_restore(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
			      const void *buf, size_t size)
{
	const uint8_t *p = buf;
	struct kvmmte_state s;
	uint64_t length;
	int ret, off;

	if (!state || !buf)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_config_valid(vm);
	if (ret)
		return ret;
	if (!has_mte(vm))
		return -KVMMTE_EPERM;
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
	for (off = 0; off < KVMMTE_STATE_SIZE; off += 8) {
		uint64_t v = get_le(p + OFF_REGS + off, 8);

		if (v & ~valid_mask(off))
			return -KVMMTE_ERANGE;
		*field(&s, off) = v;
	}
	*state = s;
	return 0;
}
