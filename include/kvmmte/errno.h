/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Error codes returned by libkvmmte.
 *
 * Every fallible function returns 0 (or a non-negative value it documents)
 * on success and the negation of one of these codes on failure.  The values
 * match Linux errno numbers so a KVM-style caller can pass them through
 * unchanged, but they are defined here so a freestanding build needs no
 * <errno.h>.  Definitions only.
 */
#ifndef KVMMTE_ERRNO_H
#define KVMMTE_ERRNO_H

#define KVMMTE_ENOENT		2	/* unknown register id / encoding */
#define KVMMTE_E2BIG		7	/* value does not fit / blob too long */
#define KVMMTE_EFAULT		14	/* NULL pointer where an object is required */
#define KVMMTE_EBUSY		16	/* already initialised differently */
#define KVMMTE_ENODEV		19	/* CPU lacks the MTE level required */
#define KVMMTE_EINVAL		22	/* invalid argument (flags, mode, field) */
#define KVMMTE_ENOSPC		28	/* output buffer too small */
#define KVMMTE_ERANGE		34	/* value has RES0 bits set / out of range */
#define KVMMTE_EPROTO		71	/* blob magic not understood */
#define KVMMTE_EPROTONOSUPPORT	93	/* blob version not understood */
#define KVMMTE_EBADMSG		74	/* blob truncated or corrupt */
#define KVMMTE_EOPNOTSUPP	95	/* operation not supported in this configuration */
#define KVMMTE_EPERM		1	/* register hidden for this VM */
#define KVMMTE_EROFS		30	/* patch sites present but text may not be written */
#define KVMMTE_ENXIO		6	/* CPU lacks asynchronous tag-check faults a VM requires */

#endif /* KVMMTE_ERRNO_H */
