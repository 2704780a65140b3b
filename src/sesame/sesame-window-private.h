/* sesame-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-diffusion-page.h"
#include "sesame-files-page.h"
#include "sesame-lock-page.h"
#include "sesame-roles-page.h"
#include "sesame-search-page.h"
#include "sesame-signin-page.h"
#include "sesame-sync-indicator.h"
#include "sesame-welcome-page.h"
#include "sesame-window.h"

G_BEGIN_DECLS

struct _SesameWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  AdwToastOverlay       *welcome_toast_overlay;
  GtkStack              *main_stack;
  SesameWelcomePage     *welcome_page;
  SesameSigninPage      *signin_page;
  SesameLockPage        *lock_page;
  AdwViewSwitcherTitle  *switcher_title;
  GtkWidget             *leave_demo_button;
  AdwViewStack          *view_stack;
  AdwViewSwitcherBar    *switcher_bar;
  SesameFilesPage       *files_page;
  SesameDiffusionPage   *diffusion_page;
  SesameRolesPage       *roles_page;
  SesameSearchPage      *search_page;
  GtkMenuButton         *operator_button;
  GtkLabel              *operator_name_label;
  GtkLabel              *operator_role_label;
  SesameSyncIndicator   *sync_indicator;

  /* Owned references */
  SesameStore           *store;
  SesameSyncScheduler   *sync_scheduler;  /* on a desk joined to a server */
  GSettings             *settings;
  GPtrArray             *hidden_windows;  /* dialogs hidden while locked */
  GPtrArray             *toasts;          /* shown, not yet dismissed */
  char                  *prefill_login;   /* from sesame --as */

  gint64                 last_input;      /* monotonic, in µs */
  guint                  lock_delay;      /* seconds; 0: the store's setting */
  guint                  idle_timeout;
  gboolean               sync_stale;      /* pulled while not on the main page */
};

void _sesame_window_class_actions_init (SesameWindowClass *klass);
void _sesame_window_update_actions     (SesameWindow      *self);
void _sesame_window_show_main          (SesameWindow      *self);
void _sesame_window_show_sign_in       (SesameWindow      *self);
void _sesame_window_close_dialogs      (SesameWindow      *self);
void _sesame_window_restart_idle       (SesameWindow      *self);

G_END_DECLS
