/* sesame-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-diffusion-page.h"
#include "sesame-files-page.h"
#include "sesame-roles-page.h"
#include "sesame-search-page.h"
#include "sesame-welcome-page.h"
#include "sesame-window.h"

G_BEGIN_DECLS

struct _SesameWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  GtkStack              *main_stack;
  SesameWelcomePage     *welcome_page;
  AdwViewSwitcherTitle  *switcher_title;
  AdwViewStack          *view_stack;
  AdwViewSwitcherBar    *switcher_bar;
  SesameFilesPage       *files_page;
  SesameDiffusionPage   *diffusion_page;
  SesameRolesPage       *roles_page;
  SesameSearchPage      *search_page;
  GtkMenuButton         *operator_button;
  GtkLabel              *operator_name_label;
  GtkLabel              *operator_role_label;

  /* Owned references */
  SesameStore           *store;
  GSettings             *settings;
};

void _sesame_window_class_actions_init (SesameWindowClass *klass);
void _sesame_window_update_actions     (SesameWindow      *self);
void _sesame_window_show_main          (SesameWindow      *self);

G_END_DECLS
