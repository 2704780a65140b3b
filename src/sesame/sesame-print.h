/* sesame-print.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"
#include "sesame-letters.h"

G_BEGIN_DECLS

/**
 * SesamePrintMode:
 * @SESAME_PRINT_MODE_DIALOG: the print dialog (with its preview button)
 * @SESAME_PRINT_MODE_PREVIEW: the pages in a preview window
 * @SESAME_PRINT_MODE_EXPORT_PDF: a PDF file, asked for with a save dialog
 *   unless a file name is given
 *
 * How to print slips and letters.
 */
typedef enum
{
  SESAME_PRINT_MODE_DIALOG,
  SESAME_PRINT_MODE_PREVIEW,
  SESAME_PRINT_MODE_EXPORT_PDF,
} SesamePrintMode;

void     sesame_print_letters_async  (GtkWidget               *widget,
                                      SesameStore             *store,
                                      GSettings               *settings,
                                      const SesameLetterQuery *query,
                                      SesamePrintMode          mode,
                                      const char              *export_filename,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data);
gboolean sesame_print_letters_finish (GAsyncResult            *result,
                                      guint                   *n_pages,
                                      GError                 **error);
void     sesame_print_letters        (GtkWidget               *widget,
                                      SesameStore             *store,
                                      GSettings               *settings,
                                      const SesameLetterQuery *query,
                                      SesamePrintMode          mode);
void     sesame_show_refusal         (GtkWidget               *widget,
                                      SesameStore             *store,
                                      const char              *heading,
                                      const GError            *error);
void     sesame_print_batch          (GtkWindow               *parent,
                                      SesameLetterBatch       *batch,
                                      SesameStore             *store,
                                      GSettings               *settings);
void     sesame_print_run_page_setup (GtkWindow               *parent,
                                      GSettings               *settings);
void     sesame_print_enrolments_async  (GtkWindow            *parent,
                                         GSettings            *settings,
                                         GPtrArray            *enrolments,
                                         const char           *export_filename,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean sesame_print_enrolments_finish (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
