/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A vcpu's MTE state as the VMM sees it: reset, the KVM one-reg style
 * get/set interface, and a serialised blob of the whole state for live
 * migration.
 *
 * Visible registers (for a VM with MTE; none for a VM without, as KVM
 * hides them; RGSR_EL1 and GCR_EL1 only for a VM without FEAT_MTE_ASYNC,
 * whose TFSR registers do not exist): RGSR_EL1, GCR_EL1, TFSR_EL1, TFSRE0_EL1 -- the rows of
 * <kvmmte/mte-regs.h> flagged KVMMTE_MTE_REG_VMM, each settable in its
 * row's valid bits -- named by their KVM one-reg ids (KVMMTE_ONE_REG() in
 * <kvmmte/sysreg.h>).  Every set is validated in full before anything is
 * written: on any error the state is byte-for-byte unchanged.  Pure
 * functions (no register access), any EL.
 */
#ifndef KVMMTE_VMM_H
#define KVMMTE_VMM_H

#include <stddef.h>
#include <stdint.h>
#include <kvmmte/errno.h>
#include <kvmmte/state.h>
#include <kvmmte/vm.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reset values.  The architecture leaves every field of these registers
 * UNKNOWN at reset; the library resets them to a fixed pattern, never to
 * anything left over:
 *   RGSR_EL1    KVMMTE_RESET_PATTERN masked to TAG and SEED: a non-zero
 *               seed (a zero LFSR seed would make IRG's sequence degenerate)
 *   GCR_EL1     KVMMTE_RESET_PATTERN masked to Exclude and RRND
 *   TFSR_EL1,   0: a set TF bit would be reported to the guest as a real
 *   TFSRE0_EL1  asynchronous tag-check fault
 * A guest that relies on a reset value of RGSR/GCR sees an odd, but always
 * the same, one.  A VM without MTE gets an all-zero state.
 */
#define KVMMTE_RESET_PATTERN		KVMMTE_UL(0xa5a5a5a5a5a5a5a5)
#define KVMMTE_RESET_RGSR_EL1		(KVMMTE_RESET_PATTERN & KVMMTE_RGSR_EL1_VALID_MASK)
#define KVMMTE_RESET_GCR_EL1		(KVMMTE_RESET_PATTERN & KVMMTE_GCR_EL1_VALID_MASK)
#define KVMMTE_RESET_TFSR_EL1		KVMMTE_UL(0)
#define KVMMTE_RESET_TFSRE0_EL1		KVMMTE_UL(0)

/*
 * kvmmte_vcpu_reset() - reset all of a vcpu's MTE state in one call
 * (vcpu creation, guest-requested reset, PSCI CPU_ON): every field of
 * @state is overwritten.  If the state is live in hardware, restore it
 * afterwards (kvmmte_state_restore()).
 * Returns 0, or -KVMMTE_EFAULT, -KVMMTE_EINVAL (invalid @vm; @state
 * untouched).
 */
int kvmmte_vcpu_reset(const struct kvmmte_vm_config *vm, struct kvmmte_state *state);

/*
 * The most registers kvmmte_vmm_reg_list() reports: for a VM with MTE and
 * FEAT_MTE_ASYNC, the KVMMTE_MTE_REG_VMM rows of <kvmmte/mte-regs.h>
 * (checked when the library is built).  A VM with MTE but without async
 * has 2 (RGSR_EL1, GCR_EL1).
 */
#define KVMMTE_VMM_NR_REGS		4

/*
 * kvmmte_vmm_reg_list() - the one-reg ids visible for @vm, in the list's
 * order: RGSR_EL1, GCR_EL1, TFSR_EL1, TFSRE0_EL1 (the last two only if
 * @vm->async).
 * @ids NULL: only count.  Otherwise @n entries of room.
 * Returns the number of ids (0 for a VM without MTE, 2 for one without
 * async, KVMMTE_VMM_NR_REGS otherwise), or -KVMMTE_EFAULT (@vm NULL),
 * -KVMMTE_EINVAL (invalid @vm), -KVMMTE_ENOSPC (@n too small; @ids
 * untouched).
 */
int kvmmte_vmm_reg_list(const struct kvmmte_vm_config *vm, uint64_t *ids, size_t n);

/*
 * kvmmte_vmm_get_reg() - read the register named by one-reg @id.
 * Returns 0 and *@val, or
 *   -KVMMTE_EFAULT  a NULL pointer
 *   -KVMMTE_EINVAL  invalid @vm
 *   -KVMMTE_ENOENT  @id is not one of the four registers above
 *   -KVMMTE_EPERM   the register is hidden: @vm has no MTE, or it is a
 *                   TFSR register and @vm has no FEAT_MTE_ASYNC
 * *@val untouched on error.
 */
int kvmmte_vmm_get_reg(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
		       uint64_t id, uint64_t *val);

/*
 * kvmmte_vmm_set_reg() - write the register named by one-reg @id.
 * Stricter than a guest MSR: a VMM that sets a RES0 bit is restoring
 * something this VM could never have held, so it is refused.
 * Returns 0, or the errors of kvmmte_vmm_get_reg(), or
 *   -KVMMTE_ERANGE  @val has a bit set outside the register's fields
 * @state untouched on error.
 */
int kvmmte_vmm_set_reg(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
		       uint64_t id, uint64_t val);

/*
 * Migration blob, version 1.  Every multi-byte field is little-endian,
 * whatever the host's byte order.  It carries the VM's registers, those of
 * kvmmte_vmm_reg_list() in that order; for a VM with FEAT_MTE_ASYNC:
 *   offset size
 *    0     4    magic   KVMMTE_BLOB_MAGIC (the bytes "KMTE")
 *    4     2    version KVMMTE_BLOB_VERSION
 *    6     2    reserved, 0
 *    8     4    length  of the whole blob in bytes (KVMMTE_BLOB_SIZE)
 *   12     4    reserved, 0
 *   16     8    RGSR_EL1
 *   24     8    GCR_EL1
 *   32     8    TFSR_EL1
 *   40     8    TFSRE0_EL1
 *   48     4    CRC-32 (IEEE 802.3, as zlib's crc32()) of bytes [0, 48)
 *   52     4    reserved, 0
 * For a VM without it the TFSR registers are absent: RGSR_EL1 and GCR_EL1
 * at 16 and 24, the CRC of [0, 32) at 32, reserved at 36, length 40.
 * kvmmte_state_blob_size() says which; KVMMTE_BLOB_SIZE is the largest.
 */
#define KVMMTE_BLOB_MAGIC		0x45544d4bU	/* "KMTE" read as little-endian */
#define KVMMTE_BLOB_VERSION		1
#define KVMMTE_BLOB_SIZE		56
#define KVMMTE_BLOB_CRC_OFFSET		48	/* with every register */
#define KVMMTE_BLOB_SIZE_NO_ASYNC	40

/*
 * kvmmte_state_blob_size() - the size of @vm's blob: KVMMTE_BLOB_SIZE, or
 * KVMMTE_BLOB_SIZE_NO_ASYNC for a VM without FEAT_MTE_ASYNC.
 * Returns it, or -KVMMTE_EFAULT, -KVMMTE_EINVAL (invalid @vm),
 * -KVMMTE_EPERM (VM without MTE).
 */
int kvmmte_state_blob_size(const struct kvmmte_vm_config *vm);

/*
 * kvmmte_state_blob_save() - serialise @state into @buf (@size bytes).
 * Returns the bytes written (kvmmte_state_blob_size()), or -KVMMTE_EFAULT,
 * -KVMMTE_EINVAL (invalid @vm), -KVMMTE_EPERM (VM without MTE: nothing to
 * migrate), -KVMMTE_ENOSPC (@size smaller than that; @buf untouched).
 */
int kvmmte_state_blob_save(const struct kvmmte_vm_config *vm, const struct kvmmte_state *state,
			   void *buf, size_t size);

/*
 * kvmmte_state_blob_restore() - validate the blob in @buf (@size bytes)
 * and only then write it to @state.
 * Returns 0, or, checked in this order,
 *   -KVMMTE_EFAULT           a NULL pointer
 *   -KVMMTE_EINVAL           invalid @vm
 *   -KVMMTE_EPERM            VM without MTE (the registers are hidden)
 *   -KVMMTE_EBADMSG          truncated: @size smaller than the 16-byte header
 *   -KVMMTE_EPROTO           bad magic: not a libkvmmte MTE state blob
 *   -KVMMTE_EPROTONOSUPPORT  a version this library does not read
 *   -KVMMTE_EBADMSG          length field not kvmmte_state_blob_size(@vm)
 *                            (a blob of a VM with async faults into one
 *                            without, or the other way round), or
 *                            truncated: @size smaller than that length
 *   -KVMMTE_E2BIG            @size larger than the blob's length
 *   -KVMMTE_EBADMSG          checksum mismatch, or a reserved field non-zero
 *   -KVMMTE_ERANGE           a register value has RES0 bits set
 * @state untouched on error.
 */
int kvmmte_state_blob_restore(const struct kvmmte_vm_config *vm, struct kvmmte_state *state,
			      const void *buf, size_t size);

/*
 * The same five on a context of the caller's own: the vcpu's registers are
 * the fields of @ctxt that @layout names (<kvmmte/state.h>), e.g. a
 * KVM-style sys_regs[] array; nothing is copied.  Same results and errors
 * as the plain routines (which are these with struct kvmmte_state's own
 * layout), plus -KVMMTE_EFAULT for a NULL @layout or @ctxt and
 * -KVMMTE_EINVAL for an invalid @layout, checked after @vm.  A restore
 * writes all four fields of @ctxt, or none.
 */
int kvmmte_vcpu_reset_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			 void *ctxt);
int kvmmte_vmm_get_reg_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			  const void *ctxt, uint64_t id, uint64_t *val);
int kvmmte_vmm_set_reg_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			  void *ctxt, uint64_t id, uint64_t val);
int kvmmte_state_blob_save_at(const struct kvmmte_vm_config *vm,
			      const struct kvmmte_layout *layout, const void *ctxt,
			      void *buf, size_t size);
int kvmmte_state_blob_restore_at(const struct kvmmte_vm_config *vm,
				 const struct kvmmte_layout *layout, void *ctxt,
				 const void *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_VMM_H */
