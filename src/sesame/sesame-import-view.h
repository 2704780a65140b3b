/* sesame-import-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_IMPORT_VIEW (sesame_import_view_get_type ())

G_DECLARE_FINAL_TYPE (SesameImportView, sesame_import_view, SESAME, IMPORT_VIEW, AdwBin)

void        sesame_import_view_set_store    (SesameImportView   *self,
                                             SesameStore        *store);
void        sesame_import_view_import_paths (SesameImportView   *self,
                                             const char * const *paths);
void        sesame_import_view_reset        (SesameImportView   *self);
const char *sesame_import_view_get_state    (SesameImportView   *self);
gboolean    sesame_import_view_save_warnings (SesameImportView  *self,
                                              GFile             *file,
                                              GError           **error);

G_END_DECLS
