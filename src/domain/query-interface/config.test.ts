import { describe, expect, it } from 'vitest';
import { findDataset } from '../catalog/datasets.ts';
import { readPath, redactQueryInterfaceConfig, validateQueryInterfaceConfig } from './config.ts';
import { mapRecord } from './mapping.ts';

const VEHICLE_MAP = {
  号牌号码: 'plate',
  使用性质: 'use',
  初次登记日期: 'firstRegistered',
  车辆状态: 'status',
};

const minimal = {
  departmentCode: 'public_security',
  dataset: 'vehicle',
  url: 'https://gaj.example.gov.cn/api/vehicles',
  response: { rowsPath: 'data.records', fieldMap: VEHICLE_MAP },
};

function codes(input: unknown): string[] {
  const result = validateQueryInterfaceConfig(input);
  return result.ok ? [] : result.errors.map((error) => `${error.path}:${error.code}`);
}

describe('validateQueryInterfaceConfig', () => {
  it('fills the documented defaults and maps headers onto column keys', () => {
    const result = validateQueryInterfaceConfig(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      auth: { kind: 'none' },
      timeoutMs: 5000,
      retries: 2,
      backoffMs: 200,
      request: {
        idField: 'idNumber',
        nameField: 'name',
        caseField: 'caseNumber',
        operatorField: 'operator',
        method: 'POST',
      },
    });
    expect(result.value.response.fieldMap).toEqual({
      plateNumber: 'plate',
      useCharacter: 'use',
      firstRegistrationDate: 'firstRegistered',
      vehicleStatus: 'status',
    });
  });

  it('accepts plain http only for the loopback address', () => {
    expect(codes({ ...minimal, url: 'http://127.0.0.1:8080/q' })).toEqual([]);
    expect(codes({ ...minimal, url: 'http://10.1.2.3/q' })).toEqual(['url:INSECURE_URL']);
    expect(codes({ ...minimal, url: 'ftp://example.org/q' })).toEqual(['url:INVALID_URL']);
    expect(codes({ ...minimal, url: 'not a url' })).toEqual(['url:INVALID_URL']);
  });

  it('refuses credentials written into the address', () => {
    expect(codes({ ...minimal, url: 'https://user:pw@gaj.example.gov.cn/q' })).toEqual([
      'url:CREDENTIALS_IN_URL',
    ]);
  });

  it('keeps timeouts, retries and backoff within their ranges', () => {
    expect(codes({ ...minimal, timeoutMs: 50, retries: 6, backoffMs: -1 })).toEqual([
      'timeoutMs:OUT_OF_RANGE',
      'retries:OUT_OF_RANGE',
      'backoffMs:OUT_OF_RANGE',
    ]);
    expect(codes({ ...minimal, timeoutMs: 1.5 })).toEqual(['timeoutMs:INVALID_TYPE']);
  });

  it('rejects an unknown department, an unknown dataset and a dataset of another department', () => {
    expect(codes({ ...minimal, departmentCode: 'nasa' })).toContain('departmentCode:UNKNOWN_DEPARTMENT');
    expect(codes({ ...minimal, dataset: 'yachts' })).toContain('dataset:UNKNOWN_DATASET');
    expect(codes({ ...minimal, departmentCode: 'taxation' })).toEqual(['dataset:DATASET_NOT_OF_DEPARTMENT']);
  });

  it('requires every required column except the person to be mapped, and only known columns', () => {
    const { 车辆状态: _dropped, ...partial } = VEHICLE_MAP;
    expect(codes({ ...minimal, response: { rowsPath: 'data', fieldMap: partial } })).toEqual([
      'response.fieldMap.车辆状态:MISSING_MAPPING',
    ]);
    expect(
      codes({ ...minimal, response: { rowsPath: 'data', fieldMap: { ...VEHICLE_MAP, 发动机号: 'engine' } } }),
    ).toEqual(['response.fieldMap.发动机号:UNKNOWN_COLUMN']);
    expect(
      codes({ ...minimal, response: { rowsPath: 'data', fieldMap: { ...VEHICLE_MAP, plateNumber: 'p2' } } }),
    ).toEqual(['response.fieldMap.plateNumber:DUPLICATE_COLUMN']);
  });

  it('rejects malformed paths and a missing response section', () => {
    expect(codes({ ...minimal, response: { rowsPath: 'data..records', fieldMap: VEHICLE_MAP } })).toEqual([
      'response.rowsPath:INVALID_PATH',
    ]);
    expect(
      codes({ ...minimal, response: { rowsPath: 'd', fieldMap: { ...VEHICLE_MAP, 号牌号码: '__proto__' } } }),
    ).toEqual(['response.fieldMap.号牌号码:INVALID_PATH']);
    expect(codes({ ...minimal, response: undefined })).toEqual(['response:REQUIRED']);
  });

  it('checks every kind of authentication without quoting the secret back', () => {
    expect(codes({ ...minimal, auth: { kind: 'bearer', token: 'abc.def' } })).toEqual([]);
    expect(codes({ ...minimal, auth: { kind: 'basic', username: 'hedui', password: 'p w' } })).toEqual([]);
    expect(codes({ ...minimal, auth: { kind: 'basic', username: 'a:b', password: 'x' } })).toEqual([
      'auth.username:INVALID_AUTH',
    ]);
    expect(codes({ ...minimal, auth: { kind: 'header', name: 'X-Hedui-Case', value: 'k' } })).toEqual([
      'auth.name:RESERVED_HEADER',
    ]);
    expect(codes({ ...minimal, auth: { kind: 'oauth' } })).toEqual(['auth.kind:INVALID_AUTH']);
    const bad = validateQueryInterfaceConfig({
      ...minimal,
      auth: { kind: 'bearer', token: 'sekret\nvalue' },
    });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('sekret');
  });

  it('rejects unknown settings and request field names that collide', () => {
    expect(codes({ ...minimal, timeout: 100 })).toEqual(['timeout:UNKNOWN_FIELD']);
    expect(codes({ ...minimal, request: { idField: 'id', caseField: 'id' } })).toEqual([
      'request.caseField:DUPLICATE_FIELD_NAME',
    ]);
    expect(codes({ ...minimal, request: { method: 'PUT' } })).toEqual(['request.method:INVALID_TYPE']);
    expect(codes('nope')).toEqual([':INVALID_TYPE']);
  });
});

describe('redactQueryInterfaceConfig', () => {
  it('hides every credential and keeps the rest', () => {
    const result = validateQueryInterfaceConfig({
      ...minimal,
      auth: { kind: 'basic', username: 'hedui', password: 'top-secret' },
    });
    if (!result.ok) throw new Error('expected a valid config');
    const shown = redactQueryInterfaceConfig(result.value);
    expect(shown.auth).toEqual({ kind: 'basic', username: 'hedui', password: '***' });
    expect(JSON.stringify(shown)).not.toContain('top-secret');
  });
});

describe('readPath', () => {
  it('reads own properties only, so prototype names never resolve', () => {
    expect(readPath({ data: { records: [1] } }, 'data.records')).toEqual([1]);
    expect(readPath({ a: [{ b: 2 }] }, 'a.0.b')).toBe(2);
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath([1], '')).toEqual([1]);
  });
});

describe('mapRecord', () => {
  const vehicle = findDataset('vehicle');
  if (!vehicle) throw new Error('vehicle dataset missing');
  const fieldMap = {
    plateNumber: 'plate',
    useCharacter: 'use',
    firstRegistrationDate: 'first',
    vehicleStatus: 'status',
  };
  const person = { idNumber: '621002198503150410', name: '张三' };

  it('fills the person asked about and the empty-means defaults', () => {
    const mapped = mapRecord(
      vehicle,
      fieldMap,
      { plate: '甘M12345', use: '非营运', first: '2019/5/20', status: '正常' },
      person,
      { today: '2025-07-01' },
    );
    expect(mapped).toEqual({
      ok: true,
      values: {
        idNumber: '621002198503150410',
        name: '张三',
        plateNumber: '甘M12345',
        vehicleType: null,
        useCharacter: '非营运',
        firstRegistrationDate: '2019-05-20',
        vehicleStatus: '正常',
        disabilityVehicle: false,
      },
    });
  });

  it('reports nested values and non-objects instead of guessing', () => {
    const nested = mapRecord(
      vehicle,
      fieldMap,
      { plate: { text: 'x' }, use: '非营运', first: '2019-05-20', status: '正常' },
      person,
      { today: '2025-07-01' },
    );
    expect(nested.ok ? [] : nested.errors.map((error) => error.code)).toEqual(['NOT_A_SCALAR']);
    const scalar = mapRecord(vehicle, fieldMap, 'row', person, { today: '2025-07-01' });
    expect(scalar.ok ? [] : scalar.errors.map((error) => error.code)).toEqual(['NOT_AN_OBJECT']);
  });
});
