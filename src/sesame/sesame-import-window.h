/* sesame-import-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"
#include "sesame-import-view.h"

G_BEGIN_DECLS

#define SESAME_TYPE_IMPORT_WINDOW (sesame_import_window_get_type ())

G_DECLARE_FINAL_TYPE (SesameImportWindow, sesame_import_window, SESAME, IMPORT_WINDOW, AdwWindow)

SesameImportWindow *sesame_import_window_new      (SesameStore        *store);
SesameImportView   *sesame_import_window_get_view (SesameImportWindow *self);

G_END_DECLS
