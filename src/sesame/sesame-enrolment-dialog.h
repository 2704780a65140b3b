/* sesame-enrolment-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_ENROLMENT_DIALOG (sesame_enrolment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SesameEnrolmentDialog, sesame_enrolment_dialog, SESAME, ENROLMENT_DIALOG, AdwWindow)

SesameEnrolmentDialog *sesame_enrolment_dialog_new           (GPtrArray             *enrolments,
                                                              GSettings             *settings);
void                   sesame_enrolment_dialog_show          (GtkWidget             *widget,
                                                              GSettings             *settings,
                                                              GPtrArray             *enrolments);
GPtrArray             *sesame_enrolment_dialog_get_enrolments (SesameEnrolmentDialog *self);
char                  *sesame_enrolment_dialog_dup_text      (SesameEnrolmentDialog *self);
char                  *sesame_enrolment_format_expiry        (gint64                 expires_at);

G_END_DECLS
