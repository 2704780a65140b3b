/* sesame-diffusion-page-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the Diffusion page share: the instance struct, its
 * properties, and the functions one file calls in another.
 */
#pragma once

#include "sesame-diffusion-page.h"

G_BEGIN_DECLS

struct _SesameDiffusionPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkStack             *content_stack;
  GtkScrolledWindow    *scroller;
  AdwPreferencesGroup  *resume_group;
  AdwActionRow         *resume_row;
  GtkButton            *resume_button;
  GtkCheckButton       *eleve_check;
  GtkCheckButton       *parent_check;
  GtkCheckButton       *autre_check;
  GtkCheckButton       *collectivite_check;
  AdwComboRow          *establishment_row;
  AdwEntryRow          *classes_row;
  AdwEntryRow          *subject_row;
  GtkLabel             *subject_counter;
  GtkTextView          *free_text_view;
  GtkLabel             *free_text_counter;
  GtkLabel             *preview_label;
  GtkLabel             *summary_label;
  GtkLabel             *problem_label;
  GtkButton            *send_button;
  AdwPreferencesGroup  *progress_group;
  GtkButton            *pause_button;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  AdwPreferencesGroup  *report_group;
  AdwActionRow         *report_row;
  AdwActionRow         *without_row;
  AdwPreferencesGroup  *campaigns_group;
  GtkListBox           *campaigns_list;

  /* Owned references */
  SesameStore          *store;
  GSettings            *settings;        /* the desk's, for printing */
  SesameCampaign       *draft;
  SesameCampaignSender *sender;
  GCancellable         *count_cancellable;
  GCancellable         *send_cancellable;
  GtkNativeDialog      *chooser;
  char                 *campaign_id;     /* the campaign whose report is shown */
  GPtrArray            *establishments;  /* UAIs of establishment_row, after "All" */
  char                 *default_subject; /* the subject proposed, while untouched */
  char                 *count_problem;   /* why the recipients cannot be counted */
  char                 *report_subject;  /* the subject of the campaign reported */

  guint                 recount_source;
  guint                 with_address;
  guint                 without_address;
  guint                 counted : 1;
  guint                 creating : 1;
  guint                 remote : 1;      /* the server sends a campaign for this desk */
  guint                 remote_sent;
  guint                 remote_total;
  guint                 count_failed : 1;
  guint                 smtp_configured : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_BUSY,
  PROP_SENDING,
  PROP_CAMPAIGN_ID,
  N_PROPS
};

extern GParamSpec *_sesame_diffusion_page_properties[N_PROPS];

/* sesame-diffusion-page.c */
void            _sesame_diffusion_page_read_form             (SesameDiffusionPage *self);
SesameCampaign *_sesame_diffusion_page_copy_draft            (SesameCampaign      *draft);
void            _sesame_diffusion_page_update_counters       (SesameDiffusionPage *self);
void            _sesame_diffusion_page_update_actions        (SesameDiffusionPage *self);

/* sesame-diffusion-page-count.c */
void            _sesame_diffusion_page_set_count_problem     (SesameDiffusionPage *self,
                                                              const char          *problem);
void            _sesame_diffusion_page_form_changed          (SesameDiffusionPage *self);

/* sesame-diffusion-page-send.c */
void            _sesame_diffusion_page_update_progress       (SesameDiffusionPage *self);
void            _sesame_diffusion_page_load_campaigns        (SesameDiffusionPage *self);
void            _sesame_diffusion_page_class_send_init       (SesameDiffusionPageClass *klass);

/* sesame-diffusion-page-report.c */
void            _sesame_diffusion_page_set_report_counts     (SesameDiffusionPage        *self,
                                                              const SesameCampaignCounts *c);
void            _sesame_diffusion_page_show_report           (SesameDiffusionPage *self,
                                                              const char          *id);
void            _sesame_diffusion_page_class_report_init     (SesameDiffusionPageClass *klass);

G_END_DECLS
