// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * PL011 output and a small printf.
 *
 * QEMU's PL011 needs no set-up: the data register is live from reset.  The
 * flag register's "transmit FIFO full" bit is still honoured so the same
 * code behaves on a model with a real FIFO.  PL011 TRM (DDI 0183) 3.3.
 *
 * Formats: %% %c %s %d %i %u %x %X %p, length l, ll, z, flags '-' and '0',
 * a width (digits or *).  No precision, no floating point.
 */
#include "platform.h"

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1U << 5)

static volatile uint32_t *uart_reg(unsigned int off)
{
	return (volatile uint32_t *)(PLAT_UART_BASE + off);
}

void plat_putc(char c)
{
	if (c == '\n')
		plat_putc('\r');
	while (*uart_reg(UART_FR) & UART_FR_TXFF)
		;
	*uart_reg(UART_DR) = (uint32_t)(unsigned char)c;
}


/* Where formatted characters go: the UART, or a bounded buffer. */
struct sink {
	char *buf;		/* NULL: the UART */
	size_t size, len;
};

static void sink_put(struct sink *k, char c)
{
	if (!k->buf)
		plat_putc(c);
	else if (k->len + 1 < k->size)
		k->buf[k->len] = c;
	k->len++;
}

static void sink_pad(struct sink *k, char c, int n)
{
	while (n-- > 0)
		sink_put(k, c);
}

/* One converted field: sign/prefix, then digits or text, padded to width. */
static void sink_field(struct sink *k, const char *prefix, const char *body,
		       size_t len, int width, bool left, bool zero)
{
	int pad = width - (int)(len + strlen(prefix));

	if (!left && !zero)
		sink_pad(k, ' ', pad);
	while (*prefix)
		sink_put(k, *prefix++);
	if (!left && zero)
		sink_pad(k, '0', pad);
	while (len--)
		sink_put(k, *body++);
	if (left)
		sink_pad(k, ' ', pad);
}

static int format(struct sink *k, const char *fmt, va_list ap)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";

	for (; *fmt; fmt++) {
		char tmp[24], *end = tmp + sizeof(tmp), *p = end;
		const char *prefix = "";
		bool left = false, zero = false;
		int width = 0, longs = 0;
		unsigned long long u;

		if (*fmt != '%') {
			sink_put(k, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
			*(*fmt == '-' ? &left : &zero) = true;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;

		switch (*fmt) {
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			sink_field(k, "", tmp, 1, width, left, false);
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			sink_field(k, "", s, strlen(s), width, left, false);
			continue;
		}
		case 'd':
		case 'i': {
			long long v = longs ? va_arg(ap, long long) : va_arg(ap, int);

			if (v < 0)
				prefix = "-";
			u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			do {
				*--p = digits[u % 10];
				u /= 10;
			} while (u);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'p': {
			unsigned int base = *fmt == 'u' ? 10 : 16;
			const char *set = digits + (*fmt == 'X' ? 16 : 0);

			if (*fmt == 'p') {
				u = (uintptr_t)va_arg(ap, void *);
				prefix = "0x";
			} else {
				/* long and long long are both 64 bits on AArch64. */
				u = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			}
			do {
				*--p = set[u % base];
				u /= base;
			} while (u);
			break;
		}
		case '%':
			sink_put(k, '%');
			continue;
		case '\0':
			fmt--;		/* a lone '%' at the end */
			continue;
		default:		/* unknown: print it as written */
			sink_put(k, '%');
			sink_put(k, *fmt);
			continue;
		}
		sink_field(k, prefix, p, (size_t)(end - p), width, left, zero);
	}
	if (k->buf && k->size)
		k->buf[k->len < k->size ? k->len : k->size - 1] = '\0';
	return (int)k->len;
}

/*
 * One CPU's line at a time on the UART.  The owner may print again while
 * it holds the lock (an EL2 exception reported in the middle of a line).
 */
static struct plat_spinlock print_lock;
static volatile unsigned int print_owner = ~0U;

static bool print_begin(void)
{
	unsigned int me = plat_cpu_index();

	if (print_owner == me)
		return false;
	plat_spin_lock(&print_lock);
	print_owner = me;
	return true;
}

static void print_end(bool locked)
{
	if (!locked)
		return;
	print_owner = ~0U;
	plat_spin_unlock(&print_lock);
}

void plat_puts(const char *s)
{
	bool locked = print_begin();

	while (*s)
		plat_putc(*s++);
	print_end(locked);
}

int plat_vprintf(const char *fmt, va_list ap)
{
	struct sink k = { 0 };
	bool locked = print_begin();
	int n = format(&k, fmt, ap);

	print_end(locked);
	return n;
}

int plat_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = plat_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int plat_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink k = { .buf = buf, .size = size };

	return format(&k, fmt, ap);
}

int plat_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = plat_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
