/* sesame-store-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The policy settings kept in a store and shared by every desk that opens
 * it, with the names of the settings the core reads.
 */
#pragma once

#include <gio/gio.h>

#include "sesame-types.h"

G_BEGIN_DECLS

/* Policy settings kept in the store, shared by every desk. */
#define SESAME_SETTING_PASSWORD_LENGTH      "password-length"       /* default 8 */
#define SESAME_SETTING_PASSWORD_EXPIRY_DAYS "password-expiry-days"  /* default 60 */
#define SESAME_SETTING_PASSWORD_MIN_LENGTH  "password-min-length"   /* default 6 */
#define SESAME_SETTING_ACADEMY_PREFIX       "academy-prefix"        /* default "AC-" + academy */
#define SESAME_SETTING_ENT_NAME             "ent-name"
#define SESAME_SETTING_ENT_URL              "ent-url"
#define SESAME_SETTING_LOCK_MINUTES         "lock-after-minutes"    /* default 10 */
#define SESAME_DEFAULT_LOCK_MINUTES         10
#define SESAME_SETTING_LETTER_TEXT          "letter-text"
/* The longest values of the ENT's name and address and of the letter's
 * text (SESAME_SETTING_LETTER_TEXT), in characters: slips and letters lay
 * them out whole. */
#define SESAME_SETTING_ENT_NAME_MAX         40
#define SESAME_SETTING_ENT_URL_MAX          100
#define SESAME_SETTING_LETTER_TEXT_MAX      1000
/* The share of an establishment's people (percent) an import may mark as
 * having left without asking. */
#define SESAME_SETTING_DEPARTURE_THRESHOLD  "departure-threshold"   /* default 10 */

int          sesame_store_settings_get_int (SesameStore  *self,
                                            const char   *key,
                                            int           default_value);
char        *sesame_store_settings_dup     (SesameStore  *self,
                                            const char   *key,
                                            const char   *default_value);
gboolean     sesame_store_settings_set     (SesameStore  *self,
                                            const char   *key,
                                            const char   *value,
                                            GError      **error);

G_END_DECLS
