/* sesame-files-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_FILES_PAGE (sesame_files_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameFilesPage, sesame_files_page, SESAME, FILES_PAGE, AdwBin)

void        sesame_files_page_reload    (SesameFilesPage *self);
void        sesame_files_page_refresh   (SesameFilesPage *self);
GListModel *sesame_files_page_get_files (SesameFilesPage *self);
gboolean    sesame_files_page_get_busy  (SesameFilesPage *self);

G_END_DECLS
