/* sesame-print-preview.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame-letters.h"

G_BEGIN_DECLS

#define SESAME_TYPE_PRINT_PREVIEW (sesame_print_preview_get_type ())

G_DECLARE_FINAL_TYPE (SesamePrintPreview, sesame_print_preview, SESAME, PRINT_PREVIEW, AdwWindow)

SesamePrintPreview *sesame_print_preview_new      (SesameLetterBatch  *batch);
guint               sesame_print_preview_get_page (SesamePrintPreview *self);

G_END_DECLS
