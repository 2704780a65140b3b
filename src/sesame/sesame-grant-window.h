/* sesame-grant-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"
#include "sesame-staff-picker.h"

G_BEGIN_DECLS

#define SESAME_TYPE_GRANT_WINDOW (sesame_grant_window_get_type ())

G_DECLARE_FINAL_TYPE (SesameGrantWindow, sesame_grant_window, SESAME, GRANT_WINDOW, AdwWindow)

SesameGrantWindow *sesame_grant_window_new        (SesameStore       *store,
                                                    GSettings         *settings);
SesameStaffPicker *sesame_grant_window_get_picker (SesameGrantWindow *self);
void               sesame_grant_window_set_scope  (SesameGrantWindow *self,
                                                   SesameRoleScope    scope);

G_END_DECLS
