import { z } from 'zod';
import { loadWorkdayCalendar, saveCalendarYear } from '../../app/calendar/calendar.ts';
import type { Deps } from '../../app/ports.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow, anyUser } from '../access.ts';
import { calendarDaySchema, calendarYearSchema, isoDate } from '../schemas.ts';
import type { App } from '../types.ts';

const yearParam = z.object({ year: z.coerce.number().int().min(1949).max(2100) });

export function calendarRoutes(app: App, deps: Deps): void {
  app.get('/api/calendar/years', {
    config: { access: anyUser },
    schema: {
      tags: ['calendar'],
      summary: '工作日历已录入的年度',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              year: z.number(),
              source: z.string(),
              publishedOn: z.string().nullable(),
              holidayCount: z.number(),
              workdayCount: z.number(),
              updatedAt: z.string(),
            }),
          ),
        }),
      },
    },
    handler: async () => ({ items: await deps.store.calendar.listYears() }),
  });

  app.get('/api/calendar/years/:year', {
    config: { access: anyUser },
    schema: {
      tags: ['calendar'],
      summary: '某年度的节假日与调休安排',
      params: yearParam,
      response: { 200: calendarYearSchema },
    },
    handler: async (request) => {
      const y = await deps.store.calendar.getYear(request.params.year);
      if (!y) throw new AppError('NOT_FOUND', `工作日历尚未录入 ${request.params.year} 年`);
      return y;
    },
  });

  app.put('/api/calendar/years/:year', {
    config: { access: allow('system_admin') },
    schema: {
      tags: ['calendar'],
      summary: '录入或修改某年度的节假日安排（国务院办公厅通知）',
      params: yearParam,
      body: z.object({
        source: z.string(),
        publishedOn: z.string().nullable(),
        days: z.array(calendarDaySchema),
      }),
      response: { 200: calendarYearSchema },
    },
    handler: async (request) =>
      saveCalendarYear(
        deps,
        request.params.year,
        { year: request.params.year, ...request.body },
        request.actor,
      ),
  });

  app.get('/api/calendar/add-workdays', {
    config: { access: anyUser },
    schema: {
      tags: ['calendar'],
      summary: '第 N 个工作日',
      querystring: z.object({ date: isoDate, n: z.coerce.number().int().min(-400).max(400) }),
      response: { 200: z.object({ date: z.string() }) },
    },
    handler: async (request) => ({
      date: (await loadWorkdayCalendar(deps.store)).addWorkdays(request.query.date, request.query.n),
    }),
  });

  app.get('/api/calendar/workdays-between', {
    config: { access: anyUser },
    schema: {
      tags: ['calendar'],
      summary: '两日之间的工作日数',
      querystring: z.object({ from: isoDate, to: isoDate }),
      response: { 200: z.object({ days: z.number() }) },
    },
    handler: async (request) => ({
      days: (await loadWorkdayCalendar(deps.store)).workdaysBetween(request.query.from, request.query.to),
    }),
  });
}
