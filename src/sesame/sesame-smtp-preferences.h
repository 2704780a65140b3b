/* sesame-smtp-preferences.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_SMTP_PREFERENCES (sesame_smtp_preferences_get_type ())

G_DECLARE_FINAL_TYPE (SesameSmtpPreferences, sesame_smtp_preferences, SESAME, SMTP_PREFERENCES, AdwPreferencesGroup)

GtkWidget  *sesame_smtp_preferences_new        (SesameStore           *store);
const char *sesame_smtp_preferences_get_status (SesameSmtpPreferences *self);
gboolean    sesame_smtp_preferences_get_busy   (SesameSmtpPreferences *self);

G_END_DECLS
