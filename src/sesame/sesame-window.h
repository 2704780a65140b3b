/* sesame-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

typedef struct _SesameApplication SesameApplication;

#define SESAME_TYPE_WINDOW (sesame_window_get_type ())

G_DECLARE_FINAL_TYPE (SesameWindow, sesame_window, SESAME, WINDOW, AdwApplicationWindow)

SesameWindow *sesame_window_new             (SesameApplication *application,
                                             SesameStore       *store);
SesameStore  *sesame_window_get_store       (SesameWindow      *self);
void          sesame_window_add_toast       (SesameWindow      *self,
                                             AdwToast          *toast);
const char   *sesame_window_get_mode        (SesameWindow      *self);
GtkWidget    *sesame_window_get_page        (SesameWindow      *self,
                                             const char        *name);
const char   *sesame_window_get_visible_page (SesameWindow     *self);
GtkWidget    *sesame_window_get_welcome_page (SesameWindow     *self);
void          sesame_window_reload          (SesameWindow      *self);
GtkWidget    *sesame_window_get_signin_page (SesameWindow      *self);
GtkWidget    *sesame_window_get_lock_page   (SesameWindow      *self);
void          sesame_window_lock            (SesameWindow      *self);
void          sesame_window_set_lock_delay  (SesameWindow      *self,
                                             guint              seconds);
void          sesame_window_set_login       (SesameWindow      *self,
                                             const char        *login);
SesameSyncScheduler *sesame_window_get_sync_scheduler (SesameWindow *self);
GtkWidget    *sesame_window_get_sync_indicator (SesameWindow     *self);

G_END_DECLS
