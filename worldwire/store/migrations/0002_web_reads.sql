-- A story's articles in the order the outlets had them: story pages, front-page
-- cards (a few per story) and the timeline.
CREATE INDEX articles_story_sort ON articles (story_id, sort_at, id);
