/* sesame-sync-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_SYNC_INDICATOR (sesame_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (SesameSyncIndicator, sesame_sync_indicator, SESAME, SYNC_INDICATOR, GtkButton)

GtkWidget           *sesame_sync_indicator_new           (void);
void                 sesame_sync_indicator_set_scheduler (SesameSyncIndicator *self,
                                                          SesameSyncScheduler *scheduler);
SesameSyncScheduler *sesame_sync_indicator_get_scheduler (SesameSyncIndicator *self);
const char          *sesame_sync_indicator_get_text      (SesameSyncIndicator *self);
gboolean             sesame_sync_indicator_is_spinning   (SesameSyncIndicator *self);
char                *sesame_sync_indicator_format_state  (SesameSyncState      state,
                                                          guint                pending,
                                                          guint                conflicts,
                                                          gint64               offline_since);

G_END_DECLS
