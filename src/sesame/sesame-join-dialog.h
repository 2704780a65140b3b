/* sesame-join-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_JOIN_DIALOG (sesame_join_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SesameJoinDialog, sesame_join_dialog, SESAME, JOIN_DIALOG, AdwWindow)

SesameJoinDialog *sesame_join_dialog_new        (const char       *store_path);
void              sesame_join_dialog_set_fields (SesameJoinDialog *self,
                                                 const char       *url,
                                                 const char       *code,
                                                 const char       *fingerprint);
void              sesame_join_dialog_join       (SesameJoinDialog *self);
void              sesame_join_dialog_cancel     (SesameJoinDialog *self);
gboolean          sesame_join_dialog_is_running (SesameJoinDialog *self);
const char       *sesame_join_dialog_get_error  (SesameJoinDialog *self);

G_END_DECLS
