/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/* Assembly that uses the generated header (consumer.make's first target). */
#include "consumer-offsets.h"

	.text
	.globl	consumer_vcpu_mte
consumer_vcpu_mte:
	add	x0, x0, #CONSUMER_VCPU_MTE
	ret
