-- A story's refresh reads every member's light columns at each new article. Read from
-- the table, those after `text` (a page's whole text, often overflowing) cost a walk
-- of its overflow pages per member; this index covers them, and leads like
-- articles_story_sort, which it replaces.
CREATE INDEX articles_story_members
    ON articles (story_id, sort_at, id, seen_at, source_id, language, url, countries, topics);
DROP INDEX articles_story_sort;
