"""Every piece of TrafficJunky markup the tool relies on; nothing else in the code knows markup.

Each selector is a CSS or Playwright selector string. Where the real site has been seen with more
than one form, the alternatives are joined into one selector (Playwright's `a, b` union) so the
first that exists wins.
"""

# --- Sign-in (public site) ---------------------------------------------------------------
USERNAME_INPUT = 'input[placeholder*="USERNAME" i], input[name="username"]'
PASSWORD_INPUT = 'input[type="password"]'
# An <input id="submitBtn" value="LOG IN"> (a <button> selector failed on the real site); it
# stays disabled until a person solves the reCAPTCHA.
SUBMIT_BUTTON = 'input#submitBtn, button#submitBtn, input[type="submit"], button[type="submit"]'
COOKIE_ACCEPT_TEXT = "Accept All"
BAD_CREDENTIALS_TEXT = "don't recognize these credentials"
# Any other refusal shown on the form (e.g. the captcha not accepted); our guess at its markup.
SIGNIN_FORM_ERROR = '.loginError, form [role="alert"]'

# --- Session markers (the app shell loads even when signed out) ----------------------------
# Signed in: the app's header or dashboard shows the account balance or the campaigns list.
SIGNED_IN_MARKERS = ':text("Account Balance"), :text("ALL CAMPAIGNS")'
LOGGED_OUT_HEADING_TEXT = "We missed you"
# Signed out: the 200 shell's heading, or a sign-in form (also what a redirect to sign-in shows).
LOGGED_OUT_MARKERS = (
    f'h1:has-text("{LOGGED_OUT_HEADING_TEXT}"), form:has({PASSWORD_INPUT}), form[action*="login"]'
)
# Paths of a sign-in page (the public site's, or an app's own login page).
SIGNIN_PATH_PARTS = ("sign-in", "signin", "/login")

# --- Media library --------------------------------------------------------------------------
MEDIA_LIBRARY_PATH = "/media-library"
# The page's heading once it is ready (the hidden Dropzone input is attached by then too).
LIBRARY_HEADING_TEXT = "MEDIA LIBRARY"
# Tab links are in-page anchors (href="#..."); ids and texts as the site has shown them. The
# In-Stream tab has two forms (a#instream_tab, read by a refresh of 99 real creatives, and
# a#in_stream_video_tab, used by uploads): both are in its union.
# Static Banner's link is plain CSS: page JS tells the library page by it (library_reads.py).
TAB_LINKS = {
    "static_banner": 'a#static_tab, a[href="#static"]',
    "video_banner": 'a#video_tab, a[href="#video"]',
    "in_stream_video": (
        'a#instream_tab, a[href="#instream"], a#in_stream_video_tab, '
        'a[href="#in_stream_video"], a.tab:has-text("In-Stream")'
    ),
    "native": 'a#native_tab, a[href="#native"], a.tab:has-text("Native")',
}
# Not every library page shows this tab (no evidence of it); a refresh reads it only when shown.
OPTIONAL_TAB_LINKS = {"short_video": 'a#short_video_tab, a[href="#short_video"]'}
# The selected tab link carries this class (or aria-selected="true", or its li carries it).
ACTIVE_TAB_CLASS = "active"
# Plain CSS (looked up by page JS, with the cards: library_reads.py).
NATIVE_SUBTYPE_INPUTS = {
    "native_static": 'input#native_static, input[name="native_type"][value="0"]',
    "native_rollover": 'input#native_rollover, input[name="native_type"][value="1"]',
}
# The radios are clicked through their labels, as a person does.
NATIVE_SUBTYPE_LABELS = {
    "native_static": 'label[for="native_static"], label:has(input#native_static)',
    "native_rollover": 'label[for="native_rollover"], label:has(input#native_rollover)',
}
# Cards and their parts are plain CSS: page JS reads them all at once (library_reads.py).
CARD = "div.creativeContainer[data-id]"
CARD_ID_ATTR = "data-id"
CARD_STATUS_ATTR = "data-review-status"
CARD_NAME = "label.creativeName"
CARD_BANNER_ID = "span.bannerId"
# In-stream cards may lack these two.
CARD_DIMENSIONS = "span.dimensions"
CARD_FILE_TYPE = "span.fileType"
CARD_REVIEW_STATUS = "span.reviewStatus"
# "Next" is an a.page-link; its parent li gets class "disabled" on the last page. The other
# forms are ones their tools also tried.
NEXT_LINK = 'a.page-link:text-is("Next"), a[rel="next"], li.next:not(.disabled) a'
NEXT_ITEM = 'li:has(> a.page-link:text-is("Next")), li.next'
DISABLED_CLASS = "disabled"
# DataTables' own indicator while the table reloads (plain CSS: it is also used in page JS).
TABLE_LOADING = "div.dataTables_processing"

# --- Upload (Dropzone) -------------------------------------------------------------------
UPLOAD_BUTTON = "button#newImage"
# The visible "Browse your computer" button opens an OS dialog; files go on the hidden input.
DROPZONE_FILE_INPUT = 'input[type="file"]'
PREVIEW = "div.dz-preview"
PREVIEW_SUCCESS_CLASS = "dz-success"
PREVIEW_COMPLETE_CLASS = "dz-complete"
PREVIEW_ERROR_CLASS = "dz-error"
PREVIEW_PROCESSING_CLASS = "dz-processing"
PREVIEW_FILENAME = "[data-dz-name], .dz-filename span"
PREVIEW_ERROR_MESSAGE = "div.dz-error-message"
# Visible while the platform still processes accepted files (their cards show after).
PROCESSING_MESSAGE = "div.processingMessage.customMessage, div.processingMessage"

# --- Campaign ad settings --------------------------------------------------------------------
AD_SETTINGS_PATH = "/campaign/{campaign_id}/ad-settings"
# Ready when the step heading shows (native pages: the mass-create mode label).
AD_SETTINGS_READY = ':text("STEP 5. CREATE YOUR AD"), :text("Mass create with CSV")'
ADS_TABLE = "table#adsTable"
ADS_TABLE_ROWS = "table#adsTable tbody tr"
# The page length is a Select2 widget over a hidden select, or the select itself (conflict).
# The select is in the page either way (Select2 hides it in a 1-pixel box, which Playwright
# still counts as visible); the widget, where there is one, is what a person uses.
ADS_TABLE_LENGTH = 'select[name="adsTable_length"], select[name="dt-length-1"]'
ADS_TABLE_LENGTH_SELECT2 = "span#select2-dt-length-1-container"
# The Select2 list opened from the widget; "100" and "All" are among its options.
ADS_TABLE_LENGTH_OPTION = "li.select2-results__option"
ADS_TABLE_INFO = "#adsTable_info"
ADS_TABLE_HEADERS = "table#adsTable thead th"
AD_NAME_HEADER = "Ad Name"
# DataTables' own "Next" of the ads table (1.x: a#adsTable_next; 2.x: a paging button).
ADS_TABLE_NEXT = "#adsTable_next, #adsTable_wrapper .dt-paging-button.next"
MODE_MANUAL_LABEL = "Manual selection"
MODE_CSV_LABEL = "Mass create with CSV"
MASS_CSV_INPUT = "#massAdsCsv"
# The banner's first sentence; the sentences after it are the issues, refused IDs in their text.
VALIDATION_BANNER_TEXT = "At least one issue was detected"
# Creative IDs are 10-digit integers; the real tool pulled 10 or more digits from the text.
CREATIVE_ID_PATTERN = r"\b\d{10,}\b"
CSV_PREVIEW_BUTTON_TEXT = "Create CSV Preview"
# Bootstrap marks the open modal with class "show" (4) or "in" (3).
CSV_PREVIEW_MODAL = "#csvPreviewModal"
CSV_PREVIEW_MODAL_OPEN = "#csvPreviewModal.show, #csvPreviewModal.in"
CSV_PREVIEW_ROWS = "#csvPreviewModal tbody tr"
# Confirm: the open modal's button, or (no modal) the page's "Create ad(s)" button, which
# carries d-none while a modal is open (conflict). Only a visible one is ever clicked.
CSV_CONFIRM_BUTTON = (
    "#csvPreviewModal button.confirmAds, #csvPreviewModal button.greenButton, "
    "#csvPreviewModal button.btn-success, #csvPreviewModal button:has-text('Create'), "
    "button.create-ads-from-csv-button"
)
# "Showing 1 to 10 of 37 entries": the total after "of" counts every ad, on every page.
ADS_TABLE_TOTAL_PATTERN = r"of\s+([\d,]+)\s+entries"

# --- Overlays that cover the page and swallow clicks --------------------------------------------
# Tour guides (Pendo) and the cookie banner can appear on any page, at any time.
# A tour guide sits over a backdrop that covers everything, the cookie banner included: close
# guides first.
TOUR_CLOSE_BUTTONS = "button.pendo-close-guide, div._pendo-close-guide_"
COOKIE_ACCEPT_BUTTON = f'button:has-text("{COOKIE_ACCEPT_TEXT}")'
OVERLAY_CLOSE_BUTTONS = f"{TOUR_CLOSE_BUTTONS}, {COOKIE_ACCEPT_BUTTON}"

# --- Where each selector shows, for `site-check` ------------------------------------------------
# Page kinds a read-only check visits: "signin" (the public sign-in page, signed out), "library"
# (every media-library tab), "library_native" (the Native tab), "library_paged" (a tab that has a
# page 2), "upload_area" (after "Upload New Creatives" opens it; nothing is uploaded),
# "ad_settings" (a campaign's ad settings), "ad_settings_csv" (with "Mass create with CSV"
# chosen). A selector not listed shows only during a write (previews, the validation banner,
# the CSV preview) and is reported as not tried. Dict selectors are checked key by key.
SEEN_ON: dict[str, tuple[str, ...]] = {
    "USERNAME_INPUT": ("signin",),
    "PASSWORD_INPUT": ("signin",),
    "SUBMIT_BUTTON": ("signin",),
    "SIGNED_IN_MARKERS": ("library", "ad_settings"),
    "TAB_LINKS": ("library",),
    "OPTIONAL_TAB_LINKS": ("library",),
    "NATIVE_SUBTYPE_INPUTS": ("library_native",),
    "NATIVE_SUBTYPE_LABELS": ("library_native",),
    "CARD": ("library",),
    "CARD_NAME": ("library",),
    "CARD_BANNER_ID": ("library",),
    "CARD_REVIEW_STATUS": ("library",),
    "NEXT_LINK": ("library_paged",),
    "NEXT_ITEM": ("library_paged",),
    "UPLOAD_BUTTON": ("library",),
    "DROPZONE_FILE_INPUT": ("upload_area",),
    "AD_SETTINGS_READY": ("ad_settings",),
    "ADS_TABLE": ("ad_settings",),
    "ADS_TABLE_ROWS": ("ad_settings",),
    "ADS_TABLE_LENGTH": ("ad_settings",),
    "ADS_TABLE_LENGTH_SELECT2": ("ad_settings",),
    "ADS_TABLE_INFO": ("ad_settings",),
    "MASS_CSV_INPUT": ("ad_settings_csv",),
}
# Selectors the real site may lack without anything being wrong (a guess, or one form of several).
OPTIONAL: frozenset[str] = frozenset({"OPTIONAL_TAB_LINKS", "ADS_TABLE_LENGTH_SELECT2"})
