/* sesame-regenerate-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_REGENERATE_DIALOG (sesame_regenerate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SesameRegenerateDialog, sesame_regenerate_dialog, SESAME, REGENERATE_DIALOG, AdwMessageDialog)

SesameRegenerateDialog *sesame_regenerate_dialog_new       (GtkWindow              *parent,
                                                            GPtrArray              *establishments,
                                                            const char             *last_uai);
const char             *sesame_regenerate_dialog_get_uai   (SesameRegenerateDialog *self);
gint64                  sesame_regenerate_dialog_get_since (SesameRegenerateDialog *self);
void                    sesame_regenerate_dialog_set_since_text (SesameRegenerateDialog *self,
                                                                 const char             *text);

G_END_DECLS
