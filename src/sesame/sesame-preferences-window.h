/* sesame-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_PREFERENCES_WINDOW (sesame_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SesamePreferencesWindow, sesame_preferences_window, SESAME, PREFERENCES_WINDOW, AdwPreferencesWindow)

SesamePreferencesWindow *sesame_preferences_window_new            (SesameStore             *store,
                                                                   GSettings               *settings);
void                     sesame_preferences_window_add_mail_group (SesamePreferencesWindow *self,
                                                                   AdwPreferencesGroup     *group);
void                     sesame_preferences_window_show_field     (SesamePreferencesWindow *self,
                                                                   const char              *key);
void                     sesame_preferences_window_apply          (SesamePreferencesWindow *self);

G_END_DECLS
