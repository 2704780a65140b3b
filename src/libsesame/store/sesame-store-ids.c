/* sesame-store-ids.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keys of the rows the store creates. Desks will merge their stores:
 * a row made on one desk must never take the key of a row made on
 * another, so keys are global (UUIDs), never SQLite's row numbers.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include "sesame-store-private.h"

/**
 * _sesame_new_id:
 *
 * A new global key for a row: a UUID of version 7 (RFC 9562), 48 bits of
 * Unix time in milliseconds, a 12-bit sequence within the millisecond and
 * 62 random bits. Keys made one after the other sort one after the other,
 * so that the tables keyed by them grow at the end of their index instead
 * of splitting pages all over it, as random UUIDs do: an import creates
 * hundreds of thousands of credentials. The random bits keep keys made at
 * once on other desks distinct, as for random UUIDs. Keys are names, not
 * secrets: GLib's generator is enough.
 *
 * Returns: (transfer full): the key, in the usual 36-character form
 */
char *
_sesame_new_id (void)
{
  static const char hex[] = "0123456789abcdef";
  static GMutex lock;
  static guint64 last_ms;
  static guint32 sequence;
  guint8 bytes[16];
  guint64 ms;
  guint32 seq, r1, r2;
  char *id, *out;

  g_mutex_lock (&lock);
  ms = (guint64) g_get_real_time () / 1000;
  if (ms > last_ms)
    {
      last_ms = ms;
      /* A random start leaves room to count up within the millisecond. */
      sequence = g_random_int () & 0x7ff;
    }
  else if (++sequence > 0xfff)
    {
      /* More keys than the sequence holds: borrow the next millisecond. */
      last_ms++;
      sequence = g_random_int () & 0x7ff;
    }
  ms = last_ms;
  seq = sequence;
  g_mutex_unlock (&lock);

  r1 = g_random_int ();
  r2 = g_random_int ();
  for (guint i = 0; i < 6; i++)
    bytes[i] = (guint8) (ms >> (40 - 8 * i));
  bytes[6] = 0x70 | (guint8) (seq >> 8);
  bytes[7] = (guint8) seq;
  bytes[8] = 0x80 | (guint8) ((r1 >> 24) & 0x3f);
  bytes[9] = (guint8) (r1 >> 16);
  bytes[10] = (guint8) (r1 >> 8);
  bytes[11] = (guint8) r1;
  bytes[12] = (guint8) (r2 >> 24);
  bytes[13] = (guint8) (r2 >> 16);
  bytes[14] = (guint8) (r2 >> 8);
  bytes[15] = (guint8) r2;

  out = id = g_malloc (37);
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *out++ = '-';
      *out++ = hex[bytes[i] >> 4];
      *out++ = hex[bytes[i] & 0xf];
    }
  *out = '\0';
  return id;
}

