/* sesame-journal-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_JOURNAL_WINDOW (sesame_journal_window_get_type ())

G_DECLARE_FINAL_TYPE (SesameJournalWindow, sesame_journal_window, SESAME, JOURNAL_WINDOW, AdwWindow)

SesameJournalWindow *sesame_journal_window_new       (SesameStore         *store);
GListModel          *sesame_journal_window_get_model (SesameJournalWindow *self,
                                                      gboolean             own_history_only);
char                *sesame_journal_window_dup_cell  (SesameJournalWindow *self,
                                                      gboolean             own_history_only,
                                                      guint                row,
                                                      const char          *column);

G_END_DECLS
