/* sesame-password-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_PASSWORD_DIALOG (sesame_password_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SesamePasswordDialog, sesame_password_dialog, SESAME, PASSWORD_DIALOG, AdwMessageDialog)

SesamePasswordDialog *sesame_password_dialog_new          (GtkWindow            *parent,
                                                           SesameStore          *store,
                                                           GSettings            *settings,
                                                           SesamePerson         *person,
                                                           const char           *password);
const char           *sesame_password_dialog_get_password (SesamePasswordDialog *self);
const char           *sesame_password_dialog_get_login    (SesamePasswordDialog *self);
const char           *sesame_password_dialog_get_email_status (SesamePasswordDialog *self);
gboolean              sesame_password_dialog_get_sending  (SesamePasswordDialog *self);

G_END_DECLS
