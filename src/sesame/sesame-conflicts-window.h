/* sesame-conflicts-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_CONFLICTS_WINDOW (sesame_conflicts_window_get_type ())

G_DECLARE_FINAL_TYPE (SesameConflictsWindow, sesame_conflicts_window, SESAME, CONFLICTS_WINDOW, AdwWindow)

SesameConflictsWindow *sesame_conflicts_window_new      (SesameStore           *store,
                                                         SesameSyncScheduler   *scheduler);
guint                  sesame_conflicts_window_get_count (SesameConflictsWindow *self);
gboolean               sesame_conflicts_window_dismiss   (SesameConflictsWindow *self,
                                                          guint                  index);

G_END_DECLS
